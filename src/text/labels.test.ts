/**
 * The short verdict labels: every verdict of the REST vocabulary has words, not its code.
 */
import { lockedHelp } from './field-labels';
import { verdictLabel } from './result-labels';

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

describe( 'lockedHelp', () => {
	it( 'names the wp-config.php constant, or the network for a field the network locks', () => {
		expect( lockedHelp( 'SMTP_PORT_HELPER_HOST' ) ).toBe(
			'Set by SMTP_PORT_HELPER_HOST in wp-config.php.'
		);
		expect( lockedHelp( 'network' ) ).toBe(
			'Set by the network administrator for every site of the network.'
		);
		expect( lockedHelp( undefined ) ).toBeUndefined();
	} );
} );
