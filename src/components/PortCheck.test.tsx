import { render, screen } from '@testing-library/react';

import { runPortTests } from '../api';
import { findPreset } from '../presets';
import { okResult, reportFixture } from '../../tests/js/fixtures';
import { Harness, renderAndTest } from '../../tests/js/port-check';
import { visible } from '../../tests/js/queries';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	runPortTests: jest.fn(),
} ) );
const mockedRun = runPortTests as jest.MockedFunction< typeof runPortTests >;

describe( 'PortCheck: running a test', () => {
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
} );
