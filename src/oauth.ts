/**
 * Signing in with an OAuth 2.0 provider: the provider profiles (the PHP side's, from the boot
 * data), and the result the sign-in callback leaves in the page's address. Pure, no React.
 */
import { __, sprintf } from '@wordpress/i18n';

import { bootData } from './boot';
import type {
	OAuthConnection,
	OAuthFailure,
	OAuthProfile,
	OAuthProvider,
} from './types';

export const OAUTH_PROVIDERS: OAuthProvider[] = [
	'microsoft',
	'google',
	'generic',
];

export function oauthProfile( provider: OAuthProvider ): OAuthProfile {
	return bootData().oauthProfiles[ provider ];
}

/**
 * The provider whose SMTP host this is (a profile with a host of its own), if any.
 * @param host
 */
export function oauthProviderOfHost( host: string ): OAuthProvider | undefined {
	const name = host.trim().toLowerCase();
	return OAUTH_PROVIDERS.find( ( provider ) => {
		const profileHost = oauthProfile( provider ).host;
		return profileHost !== '' && profileHost === name;
	} );
}

export function connectLabel( provider: OAuthProvider ): string {
	switch ( provider ) {
		case 'microsoft':
			return __( 'Connect with Microsoft', 'smtp-port-helper' );
		case 'google':
			return __( 'Connect with Google', 'smtp-port-helper' );
	}
	return __( 'Connect with the provider', 'smtp-port-helper' );
}

/** What the sign-in callback reported, from the page's address (`&oauth=…&oauth_code=…`). */
export type OAuthCallbackResult =
	{ result: 'connected' } | { result: 'failed'; code: string };

export function oauthCallbackResult(
	search: string
): OAuthCallbackResult | null {
	const params = new URLSearchParams( search );
	switch ( params.get( 'oauth' ) ) {
		case 'connected':
			return { result: 'connected' };
		case 'failed':
			return { result: 'failed', code: params.get( 'oauth_code' ) ?? '' };
	}
	return null;
}

/**
 * The address without the callback's result, so that a reload does not show it again.
 * @param href
 */
export function withoutOAuthCallback( href: string ): string {
	const url = new URL( href );
	url.searchParams.delete( 'oauth' );
	url.searchParams.delete( 'oauth_code' );
	return url.toString();
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

/**
 * Opens the provider's sign-in page (a full page load: the provider sends the browser back to
 * this page).
 * @param url
 */
export function navigateTo( url: string ): void {
	window.location.assign( url );
}
