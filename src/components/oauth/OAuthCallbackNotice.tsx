import { Notice } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { bootData } from '../../boot';
import {
	oauthCallbackResult,
	oauthFailureText,
	withoutOAuthCallback,
} from '../../oauth';
import type { OAuthConnection } from '../../types';

/**
 * What the provider's sign-in ended with, when the page was opened by its callback
 * (`&oauth=connected` or `&oauth=failed&oauth_code=…`); the address then loses those parameters, so
 * that a reload does not say it again.
 * @param props
 * @param props.connection The saved connection (the account, the server's words for a failure).
 */
export function OAuthCallbackNotice( {
	connection,
}: {
	connection: OAuthConnection;
} ) {
	const [ callback, setCallback ] = useState( () =>
		oauthCallbackResult( window.location.search )
	);
	useEffect( () => {
		if ( callback ) {
			window.history.replaceState(
				window.history.state,
				'',
				withoutOAuthCallback( window.location.href )
			);
		}
		// Once, for the address the page was opened with.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [] );
	if ( ! callback ) {
		return null;
	}
	const connected =
		callback.result === 'connected' && connection.state === 'connected';
	return (
		<Notice
			status={ connected ? 'success' : 'error' }
			className="smtp-port-helper__oauth-result"
			onRemove={ () => setCallback( null ) }
		>
			{ connected
				? sprintf(
						/* translators: %s: the connected e-mail address. */
						__(
							'Connected as %s. Test the ports and send a test email to check that mail goes out.',
							'smtp-port-helper'
						),
						connection.account
					)
				: oauthFailureText(
						callback.result === 'failed' ? callback.code : '',
						bootData().oauthFailure,
						connection
					) }
		</Notice>
	);
}
