import { render, screen } from '@testing-library/react';

import { bootDataFixture } from '../../tests/js/boot-data';
import { SendPathNotice } from './SendPathNotice';

describe( 'SendPathNotice', () => {
	afterEach( () => {
		window.smtpPortHelper = bootDataFixture();
	} );

	it( "names the code that changes how mail is sent, in the server's words", () => {
		const message =
			'Another plugin or snippet changes how mail is sent: the last message went to 127.0.0.1:2525 … the plugin “Other Mailer” (other-mailer/other-mailer.php).';
		window.smtpPortHelper = bootDataFixture( {
			sendPath: { status: 'overridden', messages: [ message ] },
		} );
		render( <SendPathNotice /> );
		expect(
			screen.getByText(
				'Mail from this site does not go the way these settings say.'
			)
		).toBeInTheDocument();
		expect( screen.getByText( message ) ).toBeInTheDocument();
	} );

	it( 'says nothing while mail goes as set, or nothing is known yet', () => {
		for ( const status of [ 'good', 'unknown' ] as const ) {
			window.smtpPortHelper = bootDataFixture( {
				sendPath: {
					status,
					messages: [ 'The last message was sent as saved.' ],
				},
			} );
			const { container, unmount } = render( <SendPathNotice /> );
			expect( container ).toBeEmptyDOMElement();
			unmount();
		}
	} );
} );
