import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { bootDataFixture } from '../../../tests/js/boot-data';
import { mockedApi } from '../../../tests/js/api-mock';
import { visible } from '../../../tests/js/queries';
import type { OutboxEntry } from '../../types';
import { Snackbars } from '../Snackbars';
import { OutboxSection } from './OutboxSection';

jest.mock( '../../api', () =>
	require( '../../../tests/js/api-mock' ).mockApiModule()
);
const api = mockedApi();

function entry( overrides: Partial< OutboxEntry > = {} ): OutboxEntry {
	return {
		id: 7,
		status: 'queued',
		to: [ 'reader@example.com' ],
		subject: 'Password reset',
		queued_at: 1_700_000_000,
		next_attempt_at: 1_700_000_300,
		attempts: 1,
		stage: 'connect',
		code: 0,
		error: 'Connection refused',
		explanation:
			'No port of the SMTP server could be connected to. The message is retried automatically.',
		size: 1234,
		...overrides,
	};
}

const refused = entry( {
	id: 8,
	status: 'failed',
	to: [ 'nobody@example.com' ],
	subject: 'Order 4711',
	next_attempt_at: null,
	attempts: 2,
	stage: 'rcpt',
	code: 550,
	error: '550 5.1.1 No such user',
	explanation:
		'The SMTP server refused this message for good (a permanent error).',
} );

function withMail( counts = { queued: 1, failed: 1 } ) {
	window.smtpPortHelper = bootDataFixture( {
		outboxCounts: { sending: 0, held: 0, ...counts },
	} );
	api.getOutbox.mockResolvedValue( {
		messages: [ entry(), refused ],
		counts: { queued: 1, sending: 0, held: 0, failed: 1 },
	} );
}

function renderSection( announce = jest.fn() ) {
	render(
		<>
			<OutboxSection announce={ announce } />
			<Snackbars />
		</>
	);
	return announce;
}

/**
 * The table row that shows a subject.
 */
async function row( subject: string ) {
	// The first render loads the lazy Outbox view (DataViews): slow on a busy machine.
	const cell = await screen.findByText( subject, visible, {
		timeout: 15_000,
	} );
	const tr = cell.closest( 'tr' );
	expect( tr ).not.toBeNull();
	return tr as HTMLElement;
}

describe( 'OutboxSection', () => {
	beforeEach( () => {
		api.getOutbox.mockReset();
		api.retryOutboxMessage.mockReset();
		api.deleteOutboxMessage.mockReset();
	} );

	it( 'renders and loads nothing while the outbox is empty', () => {
		const { container } = render(
			<OutboxSection announce={ jest.fn() } />
		);
		expect( container ).toBeEmptyDOMElement();
		expect( api.getOutbox ).not.toHaveBeenCalled();
	} );

	it( 'lists each message with its recipient, subject, attempts, next try and the verdict and explanation of its last error', async () => {
		withMail();
		renderSection();
		expect(
			screen.getByRole( 'heading', { name: 'Outbox' } )
		).toBeInTheDocument();
		const waiting = within( await row( 'Password reset' ) );
		expect(
			waiting.getByText( 'reader@example.com', visible )
		).toBeInTheDocument();
		expect(
			waiting.getByText( 'No connection', visible )
		).toBeInTheDocument();
		expect(
			waiting.getByText( /retried automatically/, visible )
		).toBeInTheDocument();
		expect(
			waiting.getByText( 'Connection refused', visible )
		).toBeInTheDocument();

		const failed = within( await row( 'Order 4711' ) );
		expect(
			failed.getByText( 'Refused for good (550)', visible )
		).toBeInTheDocument();
		expect(
			failed.getByText( '550 5.1.1 No such user', visible )
		).toBeInTheDocument();
		expect(
			failed.getByText( 'Not retried', visible )
		).toBeInTheDocument();
		expect( failed.getByText( '2', visible ) ).toBeInTheDocument();
		expect(
			screen.getByText(
				'2 messages in the outbox. 1 of them failed for good.',
				visible
			)
		).toBeInTheDocument();
		for ( const header of [
			'Recipient',
			'Subject',
			'Queued at',
			'Attempts',
			'Next try',
			'Last error',
		] ) {
			expect(
				screen.getByRole( 'columnheader', { name: header } )
			).toBeInTheDocument();
		}
	} );

	it( 'retries a message now: delivered, its row goes and a notice says so', async () => {
		withMail();
		api.retryOutboxMessage.mockResolvedValue( {
			delivered: true,
			message: null,
		} );
		const user = userEvent.setup();
		const announce = renderSection();
		await user.click(
			within( await row( 'Password reset' ) ).getByRole( 'button', {
				name: 'Retry now',
			} )
		);
		expect( api.retryOutboxMessage ).toHaveBeenCalledWith( 7 );
		expect(
			await screen.findByText( 'Delivered: “Password reset”.', visible )
		).toBeInTheDocument();
		await waitFor( () =>
			expect(
				screen.queryByText( 'Password reset', visible )
			).not.toBeInTheDocument()
		);
		expect( announce ).toHaveBeenCalledWith(
			'1 message in the outbox. 1 of them failed for good.'
		);
	} );

	it( 'retries a message that still cannot leave: the row shows its new error', async () => {
		withMail();
		api.retryOutboxMessage.mockResolvedValue( {
			delivered: false,
			message: entry( {
				attempts: 2,
				stage: 'tls',
				error: 'TLS handshake failed',
				explanation: 'The encrypted connection (TLS) failed.',
			} ),
		} );
		const user = userEvent.setup();
		renderSection();
		await user.click(
			within( await row( 'Password reset' ) ).getByRole( 'button', {
				name: 'Retry now',
			} )
		);
		const updated = within( await row( 'Password reset' ) );
		expect(
			await updated.findByText( 'TLS failed', visible )
		).toBeInTheDocument();
		expect(
			screen.getByText(
				/Not delivered yet: “Password reset”\. The encrypted connection/,
				visible
			)
		).toBeInTheDocument();
	} );

	it( 'deletes a message only once the person confirms', async () => {
		withMail();
		api.deleteOutboxMessage.mockResolvedValue( { deleted: true, id: 8 } );
		const user = userEvent.setup();
		renderSection();
		const deleteButton = () =>
			within(
				screen.getByText( 'Order 4711', visible ).closest( 'tr' )!
			).getByRole( 'button', { name: 'Delete' } );
		await row( 'Order 4711' );

		await user.click( deleteButton() );
		const dialog = await screen.findByRole( 'dialog' );
		expect(
			within( dialog ).getByText(
				/Delete “Order 4711” to nobody@example.com\?/
			)
		).toBeInTheDocument();
		await user.click(
			within( dialog ).getByRole( 'button', { name: 'Cancel' } )
		);
		expect( api.deleteOutboxMessage ).not.toHaveBeenCalled();
		expect( screen.getByText( 'Order 4711', visible ) ).toBeInTheDocument();

		await user.click( deleteButton() );
		await user.click(
			within( await screen.findByRole( 'dialog' ) ).getByRole( 'button', {
				name: 'Delete message',
			} )
		);
		expect( api.deleteOutboxMessage ).toHaveBeenCalledWith( 8 );
		expect(
			await screen.findByText( /Deleted: “Order 4711”/, visible )
		).toBeInTheDocument();
		await waitFor( () =>
			expect(
				screen.queryByText( 'Order 4711', visible )
			).not.toBeInTheDocument()
		);
	} );

	it( "shows the server's error when an action fails, and keeps the row", async () => {
		withMail();
		api.retryOutboxMessage.mockRejectedValue( {
			code: 'smtp_port_helper_outbox_busy',
			message:
				'The message is being sent right now. Try again in a moment.',
			data: { status: 409 },
		} );
		const user = userEvent.setup();
		renderSection();
		await user.click(
			within( await row( 'Password reset' ) ).getByRole( 'button', {
				name: 'Retry now',
			} )
		);
		expect(
			await screen.findByText(
				'The message is being sent right now. Try again in a moment.',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( 'Password reset', visible )
		).toBeInTheDocument();
	} );

	it( 'says when the outbox cannot be loaded, and loads it again on request', async () => {
		withMail();
		api.getOutbox.mockRejectedValueOnce( {
			code: 'rest_forbidden',
			message: 'Sorry, you are not allowed to see the outbox.',
			data: { status: 403 },
		} );
		const user = userEvent.setup();
		renderSection();
		expect(
			await screen.findByText(
				'The outbox could not be loaded: Sorry, you are not allowed to see the outbox.',
				visible
			)
		).toBeInTheDocument();
		await user.click( screen.getByRole( 'button', { name: 'Try again' } ) );
		expect( await row( 'Password reset' ) ).toBeInTheDocument();
	} );

	it( 'shows 100 messages a page, and the next page on request', async () => {
		const many = Array.from( { length: 101 }, ( _, index ) =>
			entry( { id: index + 1, subject: `Message ${ index + 1 }` } )
		);
		window.smtpPortHelper = bootDataFixture( {
			outboxCounts: { queued: 101, sending: 0, held: 0, failed: 0 },
		} );
		api.getOutbox.mockResolvedValue( {
			messages: many,
			counts: { queued: 101, sending: 0, held: 0, failed: 0 },
		} );
		const user = userEvent.setup();
		renderSection();
		await row( 'Message 100' );
		expect( screen.getAllByRole( 'row' ) ).toHaveLength( 101 );
		expect(
			screen.queryByText( 'Message 101', visible )
		).not.toBeInTheDocument();
		expect( screen.getByText( 'Page 1 of 2' ) ).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Previous page' } )
		).toHaveAttribute( 'aria-disabled', 'true' );

		await user.click( screen.getByRole( 'button', { name: 'Next page' } ) );
		expect( await row( 'Message 101' ) ).toBeInTheDocument();
		expect( screen.getAllByRole( 'row' ) ).toHaveLength( 2 );
		expect( screen.getByText( 'Page 2 of 2' ) ).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Next page' } )
		).toHaveAttribute( 'aria-disabled', 'true' );
	} );

	it( 'shows no pager while the outbox fits on one page', async () => {
		withMail();
		renderSection();
		await row( 'Password reset' );
		expect(
			screen.queryByRole( 'navigation', { name: 'Outbox pages' } )
		).not.toBeInTheDocument();
	} );
} );
