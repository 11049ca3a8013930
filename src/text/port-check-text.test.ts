import { reportFixture } from '../../tests/js/fixtures';
import { recommendationText, summary } from './port-check-text';

describe( 'port check text', () => {
	it( 'words the recommendation and the summary', () => {
		expect(
			recommendationText( {
				port: 465,
				encryption: 'implicit_tls',
				reason: '',
			} )
		).toBe( 'Use port 465 with SSL/TLS' );
		expect( summary( reportFixture() ) ).toBe(
			'Port test finished: ports 587, 2525, 465 work; recommended: port 587 with STARTTLS.'
		);
	} );
} );
