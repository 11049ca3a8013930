/**
 * The one module that talks to the plugin's REST routes.
 */
import apiFetch from '@wordpress/api-fetch';

import { bootData } from './boot';
import type {
	DkimKeyState,
	DomainCheck,
	OAuthAuthorizeResponse,
	OutboxDeleteResult,
	OutboxList,
	OutboxRetryResult,
	PortTestReport,
	PortTestRequest,
	RestError,
	SettingsResponse,
	SettingsUpdate,
	TestEmailFailureData,
	TestEmailRequest,
	TestEmailSuccess,
} from './types';

/**
 * The path of a route in the plugin's REST namespace (from the boot data).
 * @param route E.g. 'port-tests'.
 */
export function restPath( route: string ): string {
	return `/${ bootData().restNamespace }/${ route }`;
}

/** A REST error as the page handles it: the server's WP_Error, plus Retry-After on a 429. */
export interface ApiError extends RestError {
	/** Seconds to wait before trying again (HTTP 429 with a Retry-After header). */
	retryAfter?: number;
}

/**
 * The settings resource of this screen: /network-settings on the network screen (boot data
 * `scope: 'network'`), /settings otherwise. Port tests and test email stay per site.
 */
export function settingsPath(): string {
	return restPath(
		bootData().scope === 'network' ? 'network-settings' : 'settings'
	);
}

export function getSettings(): Promise< SettingsResponse > {
	return apiFetch< SettingsResponse >( {
		path: settingsPath(),
	} );
}

export function saveSettings(
	update: SettingsUpdate
): Promise< SettingsResponse > {
	return apiFetch< SettingsResponse >( {
		path: settingsPath(),
		method: 'POST',
		data: update,
	} );
}

/**
 * The network screen: whether every site must send through the network's settings.
 * @param locked Lock the sites' server, port, encryption and login.
 */
export function saveNetworkLock(
	locked: boolean
): Promise< SettingsResponse > {
	return apiFetch< SettingsResponse >( {
		path: restPath( 'network-settings' ),
		method: 'POST',
		data: { lock_site_destination: locked },
	} );
}

/** The parts of a fetch Response the page reads (apiFetch with `parse: false`). */
interface ResponseLike {
	ok: boolean;
	status: number;
	headers: { get: ( name: string ) => string | null };
	json: () => Promise< unknown >;
}

function isResponseLike( value: unknown ): value is ResponseLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof ( value as ResponseLike ).status === 'number' &&
		typeof ( value as ResponseLike ).json === 'function' &&
		typeof ( value as ResponseLike ).headers?.get === 'function'
	);
}

/**
 * Seconds from a Retry-After header: a number of seconds or an HTTP date; null when absent or
 * unreadable.
 */
export function parseRetryAfter(
	header: string | null,
	now: number = Date.now()
): number | null {
	if ( ! header ) {
		return null;
	}
	const value = header.trim();
	if ( /^\d+$/.test( value ) ) {
		return Number( value );
	}
	const date = Date.parse( value );
	return Number.isNaN( date )
		? null
		: Math.max( 0, Math.ceil( ( date - now ) / 1000 ) );
}

/**
 * Turns a failed raw response into an ApiError (the WP_Error body, with Retry-After on a 429).
 */
async function toApiError( response: ResponseLike ): Promise< ApiError > {
	let body: unknown = null;
	try {
		body = await response.json();
	} catch {
		body = null;
	}
	const error: ApiError = isRestError( body )
		? { ...body, data: { ...body.data, status: response.status } }
		: {
				code: 'http_error',
				message: `HTTP ${ response.status }`,
				data: { status: response.status },
			};
	const wait = parseRetryAfter( response.headers.get( 'Retry-After' ) );
	if ( wait !== null ) {
		error.retryAfter = wait;
	}
	return error;
}

/**
 * POST with the raw response, so that a 429's Retry-After header can be read.
 */
async function postRaw< T >( path: string, data: object ): Promise< T > {
	let response: unknown;
	try {
		response = await apiFetch( {
			path,
			method: 'POST',
			data,
			parse: false,
		} );
	} catch ( failure: unknown ) {
		// With `parse: false` apiFetch rejects with the Response itself on HTTP errors; network
		// failures arrive as a { code, message } object.
		throw isResponseLike( failure ) ? await toApiError( failure ) : failure;
	}
	if ( ! isResponseLike( response ) ) {
		return response as T;
	}
	if ( ! response.ok ) {
		throw await toApiError( response );
	}
	return ( await response.json() ) as T;
}

/**
 * Probes the ports of a host (never sends mail). Rejects with an ApiError; on a 429 its
 * `retryAfter` says how long to wait.
 */
export function runPortTests(
	request: PortTestRequest
): Promise< PortTestReport > {
	return postRaw< PortTestReport >( restPath( 'port-tests' ), request );
}

/**
 * Sends a test email with the saved settings. On failure (502 smtp_port_helper_send_failed) the
 * ApiError's data carries verdict, diagnosis and transcript.
 */
export function sendTestEmail(
	request: TestEmailRequest
): Promise< TestEmailSuccess > {
	return postRaw< TestEmailSuccess >( restPath( 'test-email' ), request );
}

/** The site's DKIM key: its selector and the record to publish (never the private key). */
export function getDkimKey(): Promise< DkimKeyState > {
	return apiFetch< DkimKeyState >( { path: restPath( 'dkim-key' ) } );
}

/**
 * A first DKIM key for the site, or a new one in place of the current one.
 * @param action generate or rotate.
 */
export function changeDkimKey(
	action: 'generate' | 'rotate'
): Promise< DkimKeyState > {
	return apiFetch< DkimKeyState >( {
		path: restPath( 'dkim-key' ),
		method: 'POST',
		data: { action },
	} );
}

/** Removes the site's DKIM key. */
export function removeDkimKey(): Promise< DkimKeyState > {
	return apiFetch< DkimKeyState >( {
		path: restPath( 'dkim-key' ),
		method: 'DELETE',
	} );
}

/**
 * Checks the From domain's SPF, DKIM, DMARC and MX for the saved SMTP host (DNS only, from the
 * server). Rejects with an ApiError; a 429 when the port test budget is spent.
 */
export function getDomainCheck(): Promise< DomainCheck > {
	return apiFetch< DomainCheck >( { path: restPath( 'domain-check' ) } );
}

/**
 * The mail waiting in this site's outbox (never a body), oldest first, with the counts per status.
 */
export function getOutbox(): Promise< OutboxList > {
	return apiFetch< OutboxList >( { path: restPath( 'outbox' ) } );
}

/**
 * Makes a message due now and runs the outbox: `delivered` when the server took it, otherwise
 * the message with its new last error. Rejects with 404 when it is gone, 409 while it is sent.
 * @param id Message id.
 */
export function retryOutboxMessage( id: number ): Promise< OutboxRetryResult > {
	return apiFetch< OutboxRetryResult >( {
		path: restPath( `outbox/${ id }/retry` ),
		method: 'POST',
	} );
}

/**
 * Starts signing in with the OAuth provider of the SAVED settings: the server keeps the state and
 * PKCE verifier and answers with the provider's sign-in address. Rejects with a 400 naming the
 * missing field (e.g. oauth_client_id) in `data.params`.
 */
export function startOAuth(): Promise< OAuthAuthorizeResponse > {
	return apiFetch< OAuthAuthorizeResponse >( {
		path: restPath( 'oauth/authorize' ),
		method: 'POST',
	} );
}

/**
 * Deletes a message from the outbox. Rejects with 404 when it is gone, 409 while it is sent.
 * @param id Message id.
 */
export function deleteOutboxMessage(
	id: number
): Promise< OutboxDeleteResult > {
	return apiFetch< OutboxDeleteResult >( {
		path: restPath( `outbox/${ id }` ),
		method: 'DELETE',
	} );
}

/** Forgets the tokens (revoking them where the provider can); answers with the settings. */
export function disconnectOAuth(): Promise< SettingsResponse > {
	return apiFetch< SettingsResponse >( {
		path: restPath( 'oauth/disconnect' ),
		method: 'POST',
	} );
}

export function isRestError( value: unknown ): value is RestError {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof ( value as RestError ).code === 'string' &&
		typeof ( value as RestError ).message === 'string'
	);
}

/**
 * Seconds to wait before retrying, when the error is a 429 with Retry-After; otherwise null.
 */
export function retryAfter( error: unknown ): number | null {
	return isRestError( error ) &&
		typeof ( error as ApiError ).retryAfter === 'number'
		? ( ( error as ApiError ).retryAfter ?? null )
		: null;
}

/**
 * The diagnosis of a failed test email (verdict, diagnosis, transcript), or null for other errors.
 */
export function sendFailure(
	error: unknown
): Pick< TestEmailFailureData, 'verdict' | 'diagnosis' | 'transcript' > | null {
	if ( ! isRestError( error ) || ! error.data ) {
		return null;
	}
	const { verdict, diagnosis, transcript } = error.data;
	if ( typeof verdict !== 'string' || typeof diagnosis !== 'string' ) {
		return null;
	}
	return {
		verdict,
		diagnosis,
		transcript: Array.isArray( transcript ) ? transcript : [],
	};
}

/**
 * Field => message for each field a REST error names; WordPress's own schema validation reports
 * the field in `data.params` too, so both the plugin's and core's errors land next to the field.
 */
export function fieldErrors( error: unknown ): Record< string, string > {
	if ( ! isRestError( error ) || ! error.data?.params ) {
		return {};
	}
	return { ...error.data.params };
}
