import { render, screen } from '@testing-library/react';

import { okResult } from '../../tests/js/fixtures';
import { PortDetails } from './PortDetails';

describe( 'PortDetails', () => {
	it( 'does not say "Connected to" under a connect that failed', () => {
		const refused = okResult( 587, {
			ok: false,
			verdict: 'refused',
			cause: 'network',
			address: '127.0.0.29',
			stages: [
				{ name: 'dns', ok: true, ms: 1, detail: '' },
				{ name: 'connect', ok: false, ms: 3, detail: 'refused' },
			],
			tls: undefined,
		} );
		render( <PortDetails port={ 587 } result={ refused } /> );
		expect( screen.queryByText( /Connected to/ ) ).not.toBeInTheDocument();
		expect(
			screen.getByText( 'Tried to connect to 127.0.0.29 (no connection)' )
		).toBeInTheDocument();
	} );

	it( 'says "Connected to" when the connect worked', () => {
		render( <PortDetails port={ 587 } result={ okResult( 587 ) } /> );
		expect(
			screen.getByText( 'Connected to 127.0.0.1' )
		).toBeInTheDocument();
	} );

	it( 'says how long ago an expired certificate expired, and names its problems in words', () => {
		const expired = okResult( 465, {
			ok: false,
			verdict: 'cert_invalid',
			cause: 'certificate',
			stages: [
				{
					name: 'certificate',
					ok: false,
					ms: 1,
					detail: 'expired, self_signed: CN=old / CN=old / 2021-01-01',
				},
			],
		} );
		expired.tls = {
			...okResult( 465 ).tls!,
			valid_to: '2021-01-01T00:00:00Z',
			days_left: -2159,
		};
		render( <PortDetails port={ 465 } result={ expired } /> );
		expect(
			screen.getByText( '2021-01-01 (expired 2159 days ago)' )
		).toBeInTheDocument();
		expect( screen.queryByText( /-2159/ ) ).not.toBeInTheDocument();
		expect(
			screen.getByText(
				'certificate expired, self-signed certificate: CN=old / CN=old / 2021-01-01'
			)
		).toBeInTheDocument();
	} );
} );
