import { render, screen } from '@testing-library/react';

import { visible } from '../../tests/js/queries';
import { TestEmailAccepted } from './TestEmailAccepted';

describe( 'TestEmailAccepted', () => {
	it( 'names the SMTP server and port for a message sent over SMTP', () => {
		render(
			<TestEmailAccepted
				success={ {
					sent: true,
					to: 'me@example.com',
					host: 'smtp.example.com',
					port: 587,
					elapsed_ms: 120,
				} }
			/>
		);
		expect(
			screen.getByText(
				/accepted by smtp\.example\.com on port 587/,
				visible
			)
		).toBeInTheDocument();
	} );

	it( 'names the HTTPS API and its endpoint for a message sent over an API, not an SMTP host and port', () => {
		render(
			<TestEmailAccepted
				success={ {
					sent: true,
					to: 'me@example.com',
					host: 'api.eu.mailgun.net',
					port: 443,
					elapsed_ms: 80,
					api: 'Mailgun',
					endpoint: 'https://api.eu.mailgun.net',
				} }
			/>
		);
		expect(
			screen.getByText(
				/accepted by the HTTPS API of Mailgun at https:\/\/api\.eu\.mailgun\.net/,
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.queryByText( /on port/, visible )
		).not.toBeInTheDocument();
	} );
} );
