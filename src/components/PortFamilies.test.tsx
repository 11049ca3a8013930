import { render, screen } from '@testing-library/react';

import { okResult } from '../../tests/js/fixtures';
import { PortResultCard } from './PortResultCard';

describe( 'PortFamilies', () => {
	it( 'shows each address family and why mail goes over the one that works', () => {
		const note =
			'IPv6: no route to the server (unreachable) — IPv4: works. Mail is therefore sent over IPv4.';
		render(
			<ul>
				<PortResultCard
					port={ 587 }
					recommended
					result={ okResult( 587, {
						families: [
							{
								family: 'ipv4',
								ok: true,
								verdict: 'ok',
								cause: 'none',
								stage: 'quit',
								elapsed_ms: 40,
								connect_ms: 3,
								detail: '',
							},
							{
								family: 'ipv6',
								ok: false,
								verdict: 'unreachable',
								cause: 'network',
								stage: 'connect',
								elapsed_ms: 1,
								connect_ms: null,
								detail: 'No route to host',
							},
						],
						only_family: 'ipv4',
						family_note: note,
					} ) }
				/>
			</ul>
		);
		const list = screen.getByRole( 'list', { name: 'By address family' } );
		expect( list ).toHaveTextContent( /^IPv4: Works/ );
		expect( list ).toHaveTextContent(
			/IPv6: Unreachable \(Connect, 1 ms\)/
		);
		expect( screen.getByText( note ) ).toBeInTheDocument();
	} );

	it( 'shows nothing for a host of one family', () => {
		render(
			<ul>
				<PortResultCard
					port={ 587 }
					recommended
					result={ okResult( 587 ) }
				/>
			</ul>
		);
		expect(
			screen.queryByRole( 'list', { name: 'By address family' } )
		).not.toBeInTheDocument();
	} );
} );
