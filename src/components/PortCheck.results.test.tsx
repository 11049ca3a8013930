import { screen } from '@testing-library/react';

import { runPortTests } from '../api';
import { findPreset } from '../presets';
import { okResult, reportFixture } from '../../tests/js/fixtures';
import { renderAndTest } from '../../tests/js/port-check';
import { visible } from '../../tests/js/queries';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	runPortTests: jest.fn(),
} ) );
const mockedRun = runPortTests as jest.MockedFunction< typeof runPortTests >;

describe( 'PortCheck: its results', () => {
	beforeEach( () => mockedRun.mockReset() );

	it( 'does not present results for another host as current', async () => {
		mockedRun.mockResolvedValue( reportFixture() );
		const { rerender } = await renderAndTest( { host: '127.0.0.1' } );
		expect(
			await screen.findByRole( 'button', {
				name: 'Use port 587 with STARTTLS',
			} )
		).toBeInTheDocument();
		rerender( { host: 'smtp.gmail.com' } );
		expect(
			screen.getByText(
				'These results were for 127.0.0.1, not for the host entered now — test again.',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.queryByRole( 'button', { name: /Use port/ } )
		).not.toBeInTheDocument();
		expect(
			screen.queryByRole( 'list', { name: 'Port test results' } )
		).not.toBeInTheDocument();
	} );

	it( 'marks the results stale when the login changes, and tests again with the new one', async () => {
		mockedRun.mockResolvedValue( reportFixture() );
		const { user, rerender } = await renderAndTest( { host: '127.0.0.1' } );
		await screen.findByRole( 'button', { name: /Use port 587/ } );
		rerender( {
			host: '127.0.0.1',
			login: { username: 'bob', password: 'pw' },
		} );
		expect(
			screen.getByText(
				'These results were for 127.0.0.1 with another login — test again.',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.queryByRole( 'button', { name: /Use port/ } )
		).not.toBeInTheDocument();
		await user.click(
			screen.getByRole( 'button', { name: 'Test again' } )
		);
		expect( mockedRun ).toHaveBeenLastCalledWith(
			expect.objectContaining( {
				host: '127.0.0.1',
				auth: { username: 'bob', password: 'pw' },
			} )
		);
		expect(
			await screen.findByRole( 'button', { name: /Use port 587/ } )
		).toBeInTheDocument();
		expect(
			screen.queryByText( /These results were for/, visible )
		).not.toBeInTheDocument();
	} );

	it( 'marks the results stale when another provider changes the ports', async () => {
		mockedRun.mockResolvedValue( reportFixture() );
		const { rerender } = await renderAndTest( { host: '127.0.0.1' } );
		await screen.findByRole( 'button', { name: /Use port 587/ } );
		rerender( { host: '127.0.0.1', preset: findPreset( 'amazon-ses' ) } );
		expect(
			screen.getByText(
				'These results were for 127.0.0.1 with other ports — test again.',
				visible
			)
		).toBeInTheDocument();
	} );

	it( 'sends a host name not found to the host field, with the preset it probably meant', async () => {
		const onUseHost = jest.fn();
		const dnsFailed = ( port: number ) =>
			okResult( port, {
				ok: false,
				verdict: 'dns_failed',
				cause: 'host_name',
				message: 'The host name could not be resolved.',
			} );
		mockedRun.mockResolvedValue( {
			host: 'smtp.gmial.com',
			elapsed_ms: 30,
			results: [
				dnsFailed( 587 ),
				dnsFailed( 2525 ),
				dnsFailed( 465 ),
				dnsFailed( 25 ),
			],
			recommendation: null,
			advice: null,
			causes: [
				{
					cause: 'host_name',
					ports: [ 587, 2525, 465, 25 ],
					text: 'The host name smtp.gmial.com was not found. Check its spelling in step 1; the port test cannot reach a server it cannot find.',
				},
			],
			markdown: '',
		} );
		const { user } = await renderAndTest( {
			host: 'smtp.gmial.com',
			onUseHost,
		} );
		expect(
			await screen.findByText(
				/The host name smtp\.gmial\.com was not found\. Check its spelling/,
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.queryByText( /web host/, visible )
		).not.toBeInTheDocument();
		await user.click(
			screen.getByRole( 'button', {
				name: 'Did you mean smtp.gmail.com?',
			} )
		);
		expect( onUseHost ).toHaveBeenCalledWith( findPreset( 'google' ) );
	} );

	it( 'shows the server’s advice once per cause, not on every card', async () => {
		mockedRun.mockResolvedValue( {
			host: 'mail.example.test',
			elapsed_ms: 30,
			results: [
				okResult( 587, {
					ok: false,
					verdict: 'cert_invalid',
					cause: 'certificate',
					detail: 'self_signed',
				} ),
				okResult( 2525, {
					ok: false,
					verdict: 'timeout',
					cause: 'network',
				} ),
				okResult( 465, {
					ok: false,
					verdict: 'cert_invalid',
					cause: 'certificate',
					detail: 'expired, wrong_host',
				} ),
			],
			recommendation: null,
			advice: null,
			// Cause_Advice's answer (tests/php/unit/Probe/Cause_Advice_Test.php words it).
			causes: [
				{
					cause: 'certificate',
					ports: [ 587, 465 ],
					text: 'The certificates on ports 587, 465 cannot be trusted. This is for your mail provider to fix; for a private mail server with its own certificate authority, set the CA certificate file under Advanced settings.',
				},
				{
					cause: 'network',
					ports: [ 2525 ],
					text: 'Port 2525 could not be reached from this web server. Web hosts often block outgoing mail ports: ask your web host to open it, or use a port that works.',
				},
			],
			markdown: '',
		} );
		await renderAndTest( { host: 'mail.example.test' } );
		const advice = await screen.findByText(
			/The certificates on ports 587, 465 cannot be trusted/,
			visible
		);
		expect( advice ).toHaveTextContent( 'CA certificate file' );
		expect(
			screen.getAllByText( /Web hosts often block/, visible )
		).toHaveLength( 1 );
		expect(
			screen.getByText( /Port 2525 could not be reached/, visible )
		).toBeInTheDocument();
		// Certificate problems in words, never the codes.
		const cards = screen.getByRole( 'list', { name: 'Port test results' } );
		expect( cards ).toHaveTextContent( 'self-signed certificate' );
		expect( cards ).toHaveTextContent(
			'certificate expired, certificate for another host name'
		);
		expect( cards.textContent ).not.toMatch(
			/self_signed|wrong_host|· expired/
		);
	} );

	it( 'shows a closed port 25 as neutral when other ports work', async () => {
		mockedRun.mockResolvedValue( reportFixture() );
		await renderAndTest( { host: '127.0.0.1' } );
		await screen.findByRole( 'button', { name: /Use port 587/ } );
		const port25 = screen
			.getByRole( 'heading', { name: /^Port 25\b/ } )
			.closest( 'li' );
		expect( port25 ).toHaveClass( 'is-neutral' );
		expect( port25 ).not.toHaveClass( 'is-failed' );
		expect( port25 ).toHaveTextContent( 'Nothing to do' );
		// No advice about port 25 either.
		expect(
			screen.queryByText( /could not be reached/, visible )
		).not.toBeInTheDocument();
	} );

	it( 'hides the "save" hint once the applied port is saved', async () => {
		mockedRun.mockResolvedValue( reportFixture() );
		const { user, rerender } = await renderAndTest( {
			host: '127.0.0.1',
			saved: { port: 2525, encryption: 'starttls' },
		} );
		await user.click(
			await screen.findByRole( 'button', { name: /Use port 587/ } )
		);
		expect(
			screen.getByText( /Port and encryption are filled in/, visible )
		).toBeInTheDocument();
		rerender( {
			host: '127.0.0.1',
			saved: { port: 587, encryption: 'starttls' },
		} );
		expect(
			screen.queryByText( /Port and encryption are filled in/, visible )
		).not.toBeInTheDocument();
	} );
} );
