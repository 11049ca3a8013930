import { Notice } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { bootData } from '../../boot';
import { oauthCallbackResult, withoutOAuthCallback } from '../../oauth';
import type { OAuthConnection, OAuthFailure } from '../../types';

/**
 * What the provider's sign-in ended with, when the page was opened by its callback
 * (`&oauth=connected` or `&oauth=failed&oauth_code=…`); the address then loses those parameters, so
 * that a reload does not say it again.
 * @param props            The component's props.
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

/**
 * Why the sign-in failed, in plain words with what to do: the server's own words for this user's
 * last sign-in (boot data) or for the saved connection when they are about this code; otherwise
 * what the code says.
 * @param code       The code the callback named (oauth_state_invalid, oauth_denied, …).
 * @param failure    The server's words for this user's last failed sign-in.
 * @param connection The saved connection.
 */
export function oauthFailureText(
	code: string,
	failure: OAuthFailure,
	connection: OAuthConnection
): string {
	if ( failure.message !== '' && ( code === '' || failure.code === code ) ) {
		return failure.message;
	}
	if (
		connection.state === 'failed' &&
		connection.message !== '' &&
		( code === '' || connection.code === code )
	) {
		return connection.message;
	}
	switch ( code ) {
		case 'oauth_state_invalid':
			return __(
				'The sign-in was refused: its answer did not belong to a sign-in started from this page by you in the last 10 minutes. Nothing was connected. Click Connect again.',
				'smtp-port-helper'
			);
		case 'oauth_denied':
			return __(
				'The sign-in was cancelled or the permission was not granted. Nothing was connected. Click Connect again and accept the requested permissions, or ask an administrator of your organisation to grant consent.',
				'smtp-port-helper'
			);
		case 'oauth_forbidden':
			return __(
				'Only an administrator of this site can connect its mailbox. Nothing was connected.',
				'smtp-port-helper'
			);
	}
	return code
		? sprintf(
				/* translators: %s: a short error code, e.g. oauth_refresh_failed. */
				__(
					'The sign-in did not complete (%s). Nothing was connected. Check the client ID and secret, then click Connect again.',
					'smtp-port-helper'
				),
				code
			)
		: __(
				'The sign-in did not complete. Nothing was connected. Check the client ID and secret, then click Connect again.',
				'smtp-port-helper'
			);
}
