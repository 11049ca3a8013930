/**
 * The short verdict labels: every verdict of the REST vocabulary has words, not its code.
 */
import { verdictLabel } from './labels';

describe( 'verdictLabel', () => {
	it( 'names the OAuth verdicts in words', () => {
		expect( verdictLabel( 'oauth_not_connected' ) ).toBe(
			'No account connected'
		);
		expect( verdictLabel( 'oauth_refresh_failed' ) ).toBe(
			'Sign-in not renewed'
		);
	} );
} );
