/**
 * Short, translated labels the settings form needs on every visit: the encryption (the PHP side's
 * labels, from the boot data), a duration, the constant that locks a field and a field's name.
 */
import { __, sprintf } from '@wordpress/i18n';

import { bootData } from '../boot';
import type { Encryption } from '../types';

export function encryptionLabel( encryption: Encryption ): string {
	return bootData().encryptionLabels[ encryption ] ?? encryption;
}

export function milliseconds( ms: number ): string {
	return sprintf(
		/* translators: %d: a duration in milliseconds. */
		__( '%d ms', 'smtp-port-helper' ),
		Math.round( ms )
	);
}

export function lockedHelp( constant: string | undefined ): string | undefined {
	if ( constant === 'network' ) {
		// The network locks where its sites send (Settings_Store::LOCKED_BY_NETWORK).
		return __(
			'Set by the network administrator for every site of the network.',
			'smtp-port-helper'
		);
	}
	return constant
		? sprintf(
				/* translators: %s: name of a PHP constant. */
				__( 'Set by %s in wp-config.php.', 'smtp-port-helper' ),
				constant
			)
		: undefined;
}

/**
 * The label a settings field has on the page, for "correct the marked fields: Port, Host".
 * @param field A settings field or request parameter name (e.g. `port`, `auth.password`).
 */
export function fieldLabel( field: string ): string {
	switch ( field ) {
		case 'host':
			return __( 'Host', 'smtp-port-helper' );
		case 'port':
			return __( 'Port', 'smtp-port-helper' );
		case 'encryption':
			return __( 'Encryption', 'smtp-port-helper' );
		case 'username':
			return __( 'User name', 'smtp-port-helper' );
		case 'password':
		case 'auth.password':
			return __( 'Password', 'smtp-port-helper' );
		case 'from_email':
			return __( 'From email', 'smtp-port-helper' );
		case 'from_name':
			return __( 'From name', 'smtp-port-helper' );
		case 'ca_file':
			return __( 'CA certificate file', 'smtp-port-helper' );
		case 'timeout':
			return __( 'Timeout (seconds)', 'smtp-port-helper' );
		case 'fallback_ports':
			return __( 'Fallback ports', 'smtp-port-helper' );
		case 'auth_method':
			return __( 'Authentication method', 'smtp-port-helper' );
		case 'oauth_provider':
			return __( 'Provider', 'smtp-port-helper' );
		case 'oauth_tenant':
			return __( 'Tenant', 'smtp-port-helper' );
		case 'oauth_client_id':
			return __( 'Client ID', 'smtp-port-helper' );
		case 'oauth_client_secret':
			return __( 'Client secret', 'smtp-port-helper' );
		case 'oauth_authorize_url':
			return __( 'Authorization URL', 'smtp-port-helper' );
		case 'oauth_token_url':
			return __( 'Token URL', 'smtp-port-helper' );
		case 'oauth_scope':
			return __( 'Scope', 'smtp-port-helper' );
		case 'oauth_client_secret_expires':
			return __( 'Client secret expires', 'smtp-port-helper' );
	}
	return field;
}
