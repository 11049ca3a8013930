import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { CopyReport } from './CopyReport';

const markdown = '## SMTP port test of smtp.example.com\n\n| 587 | `ok` |';

describe( 'CopyReport', () => {
	it( 'copies the report to the clipboard and says what it holds', async () => {
		const user = userEvent.setup();
		const writeText = jest.fn().mockResolvedValue( undefined );
		Object.defineProperty( window, 'isSecureContext', {
			value: true,
			configurable: true,
		} );
		Object.defineProperty( window.navigator, 'clipboard', {
			value: { writeText },
			configurable: true,
		} );
		render( <CopyReport markdown={ markdown } /> );
		await user.click(
			screen.getByRole( 'button', {
				name: 'Copy report for a support request',
			} )
		);
		expect( writeText ).toHaveBeenCalledWith( markdown );
		expect(
			await screen.findByText( /Copied\. The report has no password/ )
		).toBeInTheDocument();
	} );

	it( 'shows the report to copy by hand where there is no clipboard', async () => {
		const user = userEvent.setup();
		Object.defineProperty( window, 'isSecureContext', {
			value: false,
			configurable: true,
		} );
		render( <CopyReport markdown={ markdown } /> );
		await user.click(
			screen.getByRole( 'button', {
				name: 'Copy report for a support request',
			} )
		);
		expect(
			screen.getByRole( 'textbox', {
				name: 'Port test report (select and copy)',
			} )
		).toHaveValue( markdown );
	} );
} );
