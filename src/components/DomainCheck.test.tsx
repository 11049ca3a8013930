import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { getDomainCheck } from '../api';
import { visible } from '../../tests/js/queries';
import type { DomainCheck as Report } from '../types';
import { DomainCheck } from './DomainCheck';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	getDomainCheck: jest.fn(),
} ) );
const mockedCheck = getDomainCheck as jest.MockedFunction<
	typeof getDomainCheck
>;

const report: Report = {
	from_domain: 'reject.test',
	host: 'smtp.sendgrid.net',
	provider: 'sendgrid',
	return_path_domain: 'sendgrid.net',
	status: 'fail',
	seconds: 0.02,
	findings: [
		{
			check: 'spf',
			status: 'pass',
			result: 'pass',
			summary: 'SPF of reject.test allows SendGrid: pass.',
			meaning: 'Receivers see that this path may send for the domain.',
			evidence: '',
			record: null,
		},
		{
			check: 'dkim',
			status: 'fail',
			result: 'missing',
			summary: 'No DKIM record at s1._domainkey.reject.test.',
			meaning: 'The DKIM record is missing.',
			evidence: '',
			record: {
				type: 'CNAME',
				name: 's1._domainkey.reject.test',
				value: 's1.domainkey.{account}.sendgrid.net',
			},
		},
	],
};

describe( 'DomainCheck', () => {
	beforeEach( () => mockedCheck.mockReset() );

	it( 'shows each finding, what a problem means and the record to publish', async () => {
		mockedCheck.mockResolvedValue( report );
		render( <DomainCheck /> );
		expect(
			await screen.findByText(
				'Mail from reject.test through smtp.sendgrid.net:',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( /No DKIM record at s1._domainkey.reject.test/ )
		).toBeInTheDocument();
		expect(
			screen.getByText( 'The DKIM record is missing.' )
		).toBeInTheDocument();
		expect(
			screen.queryByText(
				'Receivers see that this path may send for the domain.'
			)
		).not.toBeInTheDocument();
		expect(
			screen.getByText(
				'Publish a CNAME record at s1._domainkey.reject.test:'
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( 's1.domainkey.{account}.sendgrid.net' )
		).toBeInTheDocument();
		expect( mockedCheck ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'shows why the check could not run, and runs again on request', async () => {
		mockedCheck.mockRejectedValueOnce( {
			code: 'smtp_port_helper_rate_limited',
			message: 'Too many tests. Try again in a minute.',
		} );
		mockedCheck.mockResolvedValueOnce( report );
		const user = userEvent.setup();
		render( <DomainCheck /> );
		expect(
			await screen.findByText(
				'Too many tests. Try again in a minute.',
				visible
			)
		).toBeInTheDocument();
		await user.click(
			screen.getByRole( 'button', { name: 'Check again' } )
		);
		expect(
			await screen.findByText(
				'Mail from reject.test through smtp.sendgrid.net:'
			)
		).toBeInTheDocument();
		expect( mockedCheck ).toHaveBeenCalledTimes( 2 );
	} );
} );
