/**
 * Short, translated labels for the REST vocabulary (verdicts, stages, modes, encryption). The
 * encryption labels are the PHP side's (boot data), which its recommendations also use.
 */
import { __, sprintf } from '@wordpress/i18n';

import { bootData } from '../boot';

import type { Encryption, ProbeMode, StageName, Verdict } from '../types';

export function verdictLabel( verdict: Verdict | 'send_failed' ): string {
	switch ( verdict ) {
		case 'ok':
			return __( 'Works', 'smtp-port-helper' );
		case 'dns_failed':
			return __( 'Host name not found', 'smtp-port-helper' );
		case 'refused':
			return __( 'Closed', 'smtp-port-helper' );
		case 'timeout':
			return __( 'Blocked (no answer)', 'smtp-port-helper' );
		case 'unreachable':
			return __( 'Unreachable', 'smtp-port-helper' );
		case 'no_banner':
			return __( 'No greeting', 'smtp-port-helper' );
		case 'not_smtp':
			return __( 'Not a mail server', 'smtp-port-helper' );
		case 'rejected':
			return __( 'Rejected', 'smtp-port-helper' );
		case 'stalled':
			return __( 'Stopped responding', 'smtp-port-helper' );
		case 'starttls_missing':
			return __( 'No encryption offered', 'smtp-port-helper' );
		case 'tls_failed':
			return __( 'Encryption failed', 'smtp-port-helper' );
		case 'cert_invalid':
			return __( 'Untrusted certificate', 'smtp-port-helper' );
		case 'auth_failed':
			return __( 'Login refused', 'smtp-port-helper' );
		case 'auth_unavailable':
			return __( 'No usable login method', 'smtp-port-helper' );
		case 'host_mismatch':
			return __( 'A different server answers', 'smtp-port-helper' );
		case 'address_refused':
			return __( 'Address not allowed', 'smtp-port-helper' );
		case 'send_failed':
			return __( 'Sending failed', 'smtp-port-helper' );
	}
	return verdict;
}

export function stageLabel( stage: StageName ): string {
	switch ( stage ) {
		case 'dns':
			return __( 'DNS lookup', 'smtp-port-helper' );
		case 'connect':
			return __( 'Connect', 'smtp-port-helper' );
		case 'banner':
			return __( 'Greeting (banner)', 'smtp-port-helper' );
		case 'ehlo':
			return __( 'EHLO', 'smtp-port-helper' );
		case 'starttls':
			return __( 'STARTTLS', 'smtp-port-helper' );
		case 'tls':
			return __( 'TLS handshake', 'smtp-port-helper' );
		case 'certificate':
			return __( 'Certificate check', 'smtp-port-helper' );
		case 'ehlo_tls':
			return __( 'EHLO after TLS', 'smtp-port-helper' );
		case 'auth':
			return __( 'Login (AUTH)', 'smtp-port-helper' );
		case 'quit':
			return __( 'QUIT', 'smtp-port-helper' );
	}
	return stage;
}

export function modeLabel( mode: ProbeMode ): string {
	switch ( mode ) {
		case 'starttls':
			return encryptionLabel( 'starttls' );
		case 'implicit_tls':
			return __(
				'SSL/TLS from the start (implicit TLS)',
				'smtp-port-helper'
			);
		case 'plain':
			return __( 'No encryption', 'smtp-port-helper' );
		case 'unknown':
			return __( 'Not determined', 'smtp-port-helper' );
	}
	return mode;
}

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
	return constant
		? sprintf(
				/* translators: %s: name of a PHP constant. */
				__( 'Set by %s in wp-config.php.', 'smtp-port-helper' ),
				constant
			)
		: undefined;
}
