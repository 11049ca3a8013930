import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';

import { runPortTests } from '../api';
import { usePortTest } from '../hooks/use-port-test';
import { findPreset } from '../presets';
import { okResult, reportFixture } from '../../tests/js/fixtures';
import { visible } from '../../tests/js/queries';
import { PortCheck } from './PortCheck';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	runPortTests: jest.fn(),
} ) );
const mockedRun = runPortTests as jest.MockedFunction< typeof runPortTests >;

type CheckProps = Omit< ComponentProps< typeof PortCheck >, 'portTest' >;

/**
 * PortCheck with the page's port test state, as the settings page gives it.
 */
function Harness( props: CheckProps ) {
	return <PortCheck portTest={ usePortTest() } { ...props } />;
}

/**
 * Renders the check and clicks "Test ports"; `rerender` changes what the form holds afterwards.
 */
async function renderAndTest( props: Partial< CheckProps > = {} ) {
	const all: CheckProps = {
		host: 'smtp.example.com',
		login: null,
		onApply: jest.fn(),
		announce: jest.fn(),
		...props,
	};
	const user = userEvent.setup();
	const view = render( <Harness { ...all } /> );
	await user.click( screen.getByRole( 'button', { name: 'Test ports' } ) );
	return {
		user,
		props: all,
		rerender: ( changes: Partial< CheckProps > ) =>
			view.rerender( <Harness { ...all } { ...changes } /> ),
	};
}

describe( 'PortCheck', () => {
	beforeEach( () => mockedRun.mockReset() );

	it( 'tests the provider’s own alternates (Amazon SES: 2587 and 2465, no 2525)', async () => {
		mockedRun.mockResolvedValue( reportFixture() );
		await renderAndTest( {
			host: 'email-smtp.eu-west-1.amazonaws.com',
			preset: findPreset( 'amazon-ses' ),
		} );
		expect( mockedRun ).toHaveBeenCalledWith( {
			host: 'email-smtp.eu-west-1.amazonaws.com',
			ports: [ 587, 2587, 2465, 465, 25 ],
			alternates: [ 2587, 2465 ],
		} );
	} );

	it( 'cannot test without a host', () => {
		render(
			<Harness
				host=" "
				login={ null }
				onApply={ jest.fn() }
				announce={ jest.fn() }
			/>
		);
		expect(
			screen.getByRole( 'button', { name: 'Test ports' } )
		).toHaveAttribute( 'aria-disabled', 'true' );
		expect(
			screen.getByText( 'Enter the host first.' )
		).toBeInTheDocument();
	} );

	it( 'says so when no port works, and announces it', async () => {
		const announce = jest.fn();
		mockedRun.mockResolvedValue( {
			host: 'smtp.blocked.test',
			elapsed_ms: 5000,
			results: [
				okResult( 587, {
					ok: false,
					verdict: 'timeout',
					cause: 'network',
					message: 'Nothing answered on port 587.',
				} ),
			],
			recommendation: null,
			advice: null,
			causes: [],
			markdown: '',
		} );
		await renderAndTest( { host: 'smtp.blocked.test', announce } );
		expect(
			await screen.findByText(
				/No port works from this web server/,
				visible
			)
		).toBeInTheDocument();
		expect( screen.getByText( 'Blocked (no answer)' ) ).toBeInTheDocument();
		expect( announce ).toHaveBeenLastCalledWith(
			'Port test finished: no port works; no recommendation.'
		);
	} );

	it( 'shows what the server says about bad input', async () => {
		mockedRun.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): host',
			data: {
				status: 400,
				params: { host: 'This is not a valid host name.' },
			},
		} );
		await renderAndTest( { host: 'bad host' } );
		expect(
			await screen.findByText( 'This is not a valid host name.', visible )
		).toBeInTheDocument();
	} );

	it( 'shows the server’s own message when it answers 429 (too many tests)', async () => {
		const announce = jest.fn();
		mockedRun.mockRejectedValue( {
			code: 'smtp_port_helper_rate_limited',
			message:
				'Too many port tests. Please wait 42 seconds and try again.',
			data: { status: 429, retry_after: 42 },
			retryAfter: 42,
		} );
		await renderAndTest( { announce } );
		expect(
			await screen.findByText(
				'Too many port tests. Please wait 42 seconds and try again.',
				visible
			)
		).toBeInTheDocument();
		expect( announce ).toHaveBeenLastCalledWith(
			'Too many port tests. Please wait 42 seconds and try again.'
		);
		expect(
			screen.getByRole( 'button', { name: 'Test ports' } )
		).toBeEnabled();
	} );

	it( 'tests with the login typed', async () => {
		mockedRun.mockResolvedValue( reportFixture() );
		await renderAndTest( { login: { username: 'bob', password: 'pw' } } );
		expect( mockedRun ).toHaveBeenCalledWith(
			expect.objectContaining( {
				auth: { username: 'bob', password: 'pw' },
			} )
		);
	} );

	it( 'asks for the password before testing, and says why', () => {
		render(
			<Harness
				host="smtp.other.test"
				login={ { username: 'bob', password: '' } }
				missingPassword="Enter the password: the saved password is only sent to smtp.example.com as bob."
				onApply={ jest.fn() }
				announce={ jest.fn() }
			/>
		);
		const button = screen.getByRole( 'button', { name: 'Test ports' } );
		expect( button ).toHaveAttribute( 'aria-disabled', 'true' );
		expect( button ).toHaveAccessibleDescription(
			'Enter the password: the saved password is only sent to smtp.example.com as bob.'
		);
	} );

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
