/**
 * Short, translated labels of a port test's results (verdicts, stages, modes, certificate
 * problems): in the port results' chunk, not in the page's first script.
 */
import { __ } from '@wordpress/i18n';

import type { ProbeMode, StageName, Verdict } from '../types';
import { encryptionLabel } from './field-labels';

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
		case 'oauth_not_connected':
			return __( 'No account connected', 'smtp-port-helper' );
		case 'oauth_refresh_failed':
			return __( 'Sign-in not renewed', 'smtp-port-helper' );
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
		case 'api':
			return __(
				'Authenticated API call (sends nothing)',
				'smtp-port-helper'
			);
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

/** The certificate problems the probe names (Port_Result::$cert_problems). */
const CERTIFICATE_PROBLEMS = [
	'expired',
	'not_yet_valid',
	'self_signed',
	'untrusted',
	'wrong_host',
] as const;
type CertificateProblem = ( typeof CERTIFICATE_PROBLEMS )[ number ];

function isCertificateProblem( code: string ): code is CertificateProblem {
	return ( CERTIFICATE_PROBLEMS as readonly string[] ).includes( code );
}

export function certificateProblemLabel( problem: CertificateProblem ): string {
	switch ( problem ) {
		case 'expired':
			return __( 'certificate expired', 'smtp-port-helper' );
		case 'not_yet_valid':
			return __( 'certificate not valid yet', 'smtp-port-helper' );
		case 'self_signed':
			return __( 'self-signed certificate', 'smtp-port-helper' );
		case 'untrusted':
			return __(
				'certificate from an untrusted authority',
				'smtp-port-helper'
			);
		case 'wrong_host':
			return __(
				'certificate for another host name',
				'smtp-port-helper'
			);
	}
	return problem;
}

/**
 * A verdict's or stage's detail for the page: certificate problem codes ("expired, self_signed",
 * optionally followed by ": subject / issuer / date") in words; any other detail as it is.
 */
export function readableDetail( detail: string ): string {
	const match = /^([a-z_]+(?:, [a-z_]+)*)(:.*)?$/s.exec( detail );
	if ( ! match ) {
		return detail;
	}
	const codes = match[ 1 ].split( ', ' );
	if ( ! codes.every( isCertificateProblem ) ) {
		return detail;
	}
	return (
		( codes as CertificateProblem[] )
			.map( certificateProblemLabel )
			.join( ', ' ) + ( match[ 2 ] ?? '' )
	);
}
