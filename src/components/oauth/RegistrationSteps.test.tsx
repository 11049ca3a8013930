import { render, screen } from '@testing-library/react';

import { bootDataFixture } from '../../../tests/js/boot-data';
import { RegistrationSteps } from './RegistrationSteps';

describe( 'RegistrationSteps for Google', () => {
	beforeEach( () => {
		window.smtpPortHelper = bootDataFixture();
	} );

	it( 'asks for full mail access for SMTP', () => {
		render( <RegistrationSteps provider="google" transport="smtp" /> );
		expect(
			screen.getByText( /Add the scope https:\/\/mail\.google\.com\// )
		).toBeInTheDocument();
		expect( screen.queryByText( /gmail\.send/ ) ).not.toBeInTheDocument();
	} );

	it( 'asks only for gmail.send over the Gmail API, and says it is narrower', () => {
		render( <RegistrationSteps provider="google" transport="gmail" /> );
		const step = screen.getByText(
			/Enable the Gmail API .* https:\/\/www\.googleapis\.com\/auth\/gmail\.send/
		);
		expect( step ).toHaveTextContent(
			'narrower than SMTP’s https://mail.google.com/'
		);
		expect(
			screen.queryByText( /^Add the scope https:\/\/mail\.google\.com\// )
		).not.toBeInTheDocument();
	} );
} );
