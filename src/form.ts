/**
 * The settings form's state and the update it saves: pure functions, no React.
 */
import { __ } from '@wordpress/i18n';

import type {
	EditableSettings,
	SettingsResponse,
	SettingsUpdate,
} from './types';

/**
 * What the form edits: the editable settings (generated from the PHP settings table, so a new
 * setting does not type-check until the form handles it), with numbers kept as typed so the server
 * can name a bad field.
 */
export type FormState = Omit<
	EditableSettings,
	'port' | 'timeout' | 'send_time_limit' | 'fallback_ports'
> & {
	port: string;
	timeout: string;
	send_time_limit: string;
	/** Comma-separated port numbers. */
	fallback_ports: string;
	/** New password; '' keeps the saved one. */
	password: string;
	/** Remove the saved password on save. */
	clear_password: boolean;
	/** New OAuth client secret; '' keeps the saved one. */
	oauth_client_secret: string;
	/** Remove the saved client secret on save. */
	clear_oauth_client_secret: boolean;
	/** New HTTPS API key; '' keeps the saved one. */
	api_key: string;
	/** Remove the saved API key on save. */
	clear_api_key: boolean;
};

export function toForm( settings: SettingsResponse ): FormState {
	return {
		enabled: settings.enabled,
		host: settings.host,
		port: String( settings.port ),
		encryption: settings.encryption,
		auth: settings.auth,
		username: settings.username,
		auth_method: settings.auth_method,
		oauth_provider: settings.oauth_provider,
		oauth_tenant: settings.oauth_tenant,
		oauth_client_id: settings.oauth_client_id,
		oauth_authorize_url: settings.oauth_authorize_url,
		oauth_token_url: settings.oauth_token_url,
		oauth_scope: settings.oauth_scope,
		oauth_client_secret_expires: settings.oauth_client_secret_expires,
		password: '',
		clear_password: false,
		from_email: settings.from_email,
		from_name: settings.from_name,
		force_from_email: settings.force_from_email,
		force_from_name: settings.force_from_name,
		return_path: settings.return_path,
		ca_file: settings.ca_file,
		timeout: String( settings.timeout ),
		send_time_limit: String( settings.send_time_limit ),
		fallback: settings.fallback,
		fallback_ports: settings.fallback_ports.join( ', ' ),
		self_heal: settings.self_heal,
		dkim_signing: settings.dkim_signing,
		oauth_client_secret: '',
		clear_oauth_client_secret: false,
		transport: settings.transport,
		api_account: settings.api_account,
		api_region: settings.api_region,
		api_key: '',
		clear_api_key: false,
	};
}

/**
 * A whole number as a number, anything else as typed (the server names the field).
 */
function numberOrTyped( value: string ): number | string {
	const trimmed = value.trim();
	return /^\d+$/.test( trimmed ) ? Number( trimmed ) : trimmed;
}

/**
 * "2525, 465" → [2525, 465]; null when an entry is not a whole number.
 */
export function parsePorts( value: string ): number[] | null {
	const parts = value
		.split( /[\s,]+/ )
		.map( ( part ) => part.trim() )
		.filter( Boolean );
	if ( parts.some( ( part ) => ! /^\d+$/.test( part ) ) ) {
		return null;
	}
	return parts.map( Number );
}

const TEXT_FIELDS = [
	'host',
	'username',
	'from_email',
	'from_name',
	'ca_file',
	'oauth_tenant',
	'oauth_client_id',
	'oauth_authorize_url',
	'oauth_token_url',
	'oauth_scope',
	'oauth_client_secret_expires',
	'transport',
	'api_account',
	'api_region',
] as const;
const FLAG_FIELDS = [
	'enabled',
	'auth',
	'force_from_email',
	'force_from_name',
	'return_path',
	'fallback',
	'self_heal',
	'dkim_signing',
] as const;

/**
 * Only the fields that differ from the saved settings (the password only when typed).
 */
export function changes(
	form: FormState,
	saved: SettingsResponse
): SettingsUpdate {
	const base = toForm( saved );
	const update: SettingsUpdate = {};
	for ( const field of TEXT_FIELDS ) {
		if ( form[ field ].trim() !== base[ field ] ) {
			update[ field ] = form[ field ].trim();
		}
	}
	for ( const field of FLAG_FIELDS ) {
		if ( form[ field ] !== base[ field ] ) {
			update[ field ] = form[ field ];
		}
	}
	if ( form.encryption !== base.encryption ) {
		update.encryption = form.encryption;
	}
	if ( form.auth_method !== base.auth_method ) {
		update.auth_method = form.auth_method;
	}
	if ( form.oauth_provider !== base.oauth_provider ) {
		update.oauth_provider = form.oauth_provider;
	}
	if ( form.port.trim() !== base.port ) {
		update.port = numberOrTyped( form.port );
	}
	if ( form.timeout.trim() !== base.timeout ) {
		update.timeout = numberOrTyped( form.timeout );
	}
	if ( form.send_time_limit.trim() !== base.send_time_limit ) {
		update.send_time_limit = numberOrTyped( form.send_time_limit );
	}
	const ports = parsePorts( form.fallback_ports );
	if ( ports !== null && ports.join( ', ' ) !== base.fallback_ports ) {
		update.fallback_ports = ports;
	}
	if ( form.password !== '' ) {
		update.password = form.password;
	} else if ( form.clear_password ) {
		update.clear_password = true;
	}
	// Never trimmed or shown: sent as typed, once, like the password.
	if ( form.oauth_client_secret !== '' ) {
		update.oauth_client_secret = form.oauth_client_secret;
	} else if ( form.clear_oauth_client_secret ) {
		update.clear_oauth_client_secret = true;
	}
	if ( form.api_key !== '' ) {
		update.api_key = form.api_key;
	} else if ( form.clear_api_key ) {
		update.clear_api_key = true;
	}
	return update;
}

export function isDirty( form: FormState, saved: SettingsResponse ): boolean {
	return (
		Object.keys( changes( form, saved ) ).length > 0 ||
		parsePorts( form.fallback_ports ) === null
	);
}

/**
 * Field => message for what the form can tell before asking the server; empty when it may be saved.
 */
export function validate( form: FormState ): Record< string, string > {
	if ( parsePorts( form.fallback_ports ) === null ) {
		return {
			fallback_ports: __(
				'Enter port numbers separated by commas, for example 2525, 465.',
				'smtp-port-helper'
			),
		};
	}
	return {};
}
