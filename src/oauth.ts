/**
 * Signing in with an OAuth 2.0 provider: the provider profiles (the PHP side's, from the boot
 * data), and the result the sign-in callback leaves in the page's address. Pure, no React.
 */
import { __ } from '@wordpress/i18n';

import { bootData } from './boot';
import type { OAuthProfile, OAuthProvider } from './types';

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
 */
export function withoutOAuthCallback( href: string ): string {
	const url = new URL( href );
	url.searchParams.delete( 'oauth' );
	url.searchParams.delete( 'oauth_code' );
	return url.toString();
}

/**
 * Opens the provider's sign-in page (a full page load: the provider sends the browser back to
 * this page).
 */
export function navigateTo( url: string ): void {
	window.location.assign( url );
}
