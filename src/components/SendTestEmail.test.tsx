import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { getDomainCheck, sendTestEmail } from '../api';
import { visible } from '../../tests/js/queries';
import { SendTestEmail } from './SendTestEmail';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	sendTestEmail: jest.fn(),
	getDomainCheck: jest.fn(),
} ) );
const mockedSend = sendTestEmail as jest.MockedFunction< typeof sendTestEmail >;
const mockedDomainCheck = getDomainCheck as jest.MockedFunction<
	typeof getDomainCheck
>;

describe( 'SendTestEmail', () => {
	beforeEach( () => {
		mockedSend.mockReset();
		mockedDomainCheck.mockReset();
	} );

	it( 'asks whether the mail will be received once the server accepted it', async () => {
		mockedSend.mockResolvedValue( {
			to: 'me@example.com',
			host: 'smtp.sendgrid.net',
			port: 587,
			elapsed_ms: 120,
		} as never );
		mockedDomainCheck.mockResolvedValue( {
			from_domain: 'example.com',
			host: 'smtp.sendgrid.net',
			provider: 'sendgrid',
			return_path_domain: 'sendgrid.net',
			status: 'pass',
			seconds: 0.01,
			findings: [],
		} );
		const user = userEvent.setup();
		render( <SendTestEmail dirty={ false } announce={ jest.fn() } /> );
		expect( mockedDomainCheck ).not.toHaveBeenCalled();
		await user.clear( screen.getByLabelText( 'Send to' ) );
		await user.type( screen.getByLabelText( 'Send to' ), 'me@example.com' );
		await user.click(
			screen.getByRole( 'button', { name: 'Send test email' } )
		);
		expect(
			await screen.findByText(
				'Mail from example.com through smtp.sendgrid.net:'
			)
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'heading', {
				name: 'Sent — and will it be received?',
			} )
		).toBeInTheDocument();
		expect( mockedDomainCheck ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'shows a bad recipient next to the field', async () => {
		mockedSend.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): to',
			data: {
				status: 400,
				params: { to: 'Enter a valid recipient address.' },
			},
		} );
		const user = userEvent.setup();
		render( <SendTestEmail dirty={ false } announce={ jest.fn() } /> );
		await user.clear( screen.getByLabelText( 'Send to' ) );
		await user.type( screen.getByLabelText( 'Send to' ), 'me@localhost' );
		await user.click(
			screen.getByRole( 'button', { name: 'Send test email' } )
		);
		expect(
			await screen.findByText(
				'Enter a valid recipient address.',
				visible
			)
		).toBeInTheDocument();
		expect( screen.getByLabelText( 'Send to' ) ).toHaveAttribute(
			'aria-invalid',
			'true'
		);
	} );

	it( 'reminds to save first when there are unsaved changes', () => {
		render( <SendTestEmail dirty announce={ jest.fn() } /> );
		expect(
			screen.getByText( /You have unsaved changes/, visible )
		).toBeInTheDocument();
	} );

	it( 'announces a failure with its diagnosis', async () => {
		const announce = jest.fn();
		mockedSend.mockRejectedValue( {
			code: 'smtp_port_helper_send_failed',
			message: 'Not sent.',
			data: {
				status: 502,
				verdict: 'send_failed',
				diagnosis: 'The server refused the recipient.',
				transcript: [],
			},
		} );
		const user = userEvent.setup();
		render( <SendTestEmail dirty={ false } announce={ announce } /> );
		await user.clear( screen.getByLabelText( 'Send to' ) );
		await user.type( screen.getByLabelText( 'Send to' ), 'a@b.test' );
		await user.keyboard( '{Enter}' );
		expect(
			await screen.findByText( 'Not sent: Sending failed', visible )
		).toBeInTheDocument();
		expect( announce ).toHaveBeenCalledWith(
			'The test email could not be sent: The server refused the recipient.'
		);
	} );
} );
