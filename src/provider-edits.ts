/**
 * What choosing a provider preset or an OAuth 2.0 profile changes in the form: pure functions,
 * so that the page only applies their edits (and the rules are tested without rendering it).
 */
import type { FormState } from './form';
import { oauthProfile, oauthProviderOfHost } from './oauth';
import type { Preset } from './presets';
import { OTHER, presetForHost, presetHost } from './presets';
import type { OAuthProvider } from './types';

/** Field => the wp-config.php constant (or the network) that locks it. */
type Locked = Partial< Record< string, string > >;

export interface ProviderChoice {
	presetId: string;
	region: string;
}

/**
 * The provider the saved host belongs to, if any.
 *
 * @param host The host field.
 */
export function providerOf( host: string ): ProviderChoice {
	const match = presetForHost( host );
	return match
		? {
				presetId: match.preset.id,
				region: match.region ?? match.preset.defaultRegion,
			}
		: { presetId: OTHER, region: '' };
}

/**
 * A preset's edits: its host (in the region), its fixed user name with the login on, and for
 * Microsoft 365 and Google the OAuth 2.0 sign-in (their password login is a dead end). A field a
 * constant locks is left alone.
 *
 * @param chosen The preset.
 * @param region The region chosen (regional presets only).
 * @param locked The locked fields.
 */
export function presetEdits(
	chosen: Preset,
	region: string,
	locked: Locked
): Partial< FormState > {
	const fields: Partial< FormState > = {};
	if ( ! locked.host ) {
		fields.host = presetHost( chosen, region );
	}
	if ( chosen.username && ! locked.username ) {
		fields.username = chosen.username;
		if ( ! locked.auth ) {
			fields.auth = true;
		}
	}
	if ( chosen.oauthProvider ) {
		if ( ! locked.auth ) {
			fields.auth = true;
		}
		if ( ! locked.auth_method ) {
			fields.auth_method = 'oauth2';
		}
		if ( ! locked.oauth_provider ) {
			fields.oauth_provider = chosen.oauthProvider;
		}
	}
	return fields;
}

/**
 * An OAuth profile's edits, with its SMTP host when the host is empty or another profile's.
 *
 * @param oauthProvider The profile chosen.
 * @param currentHost   The host field now.
 * @param locked        The locked fields.
 */
export function oauthProviderEdits(
	oauthProvider: OAuthProvider,
	currentHost: string,
	locked: Locked
): Partial< FormState > {
	const fields: Partial< FormState > = { oauth_provider: oauthProvider };
	const host = oauthProfile( oauthProvider ).host;
	const current = currentHost.trim();
	if (
		host !== '' &&
		! locked.host &&
		( current === '' || oauthProviderOfHost( current ) !== undefined )
	) {
		fields.host = host;
	}
	return fields;
}
