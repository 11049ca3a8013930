/**
 * The port test's rules the page applies around the REST call: what a test was run with, when
 * its results no longer describe the form, and when the saved password cannot be used. Pure
 * functions, no React.
 */
import { __, sprintf } from '@wordpress/i18n';

import type { FormState } from './form';
import type { SettingsResponse } from './types';

/** What a port test was run with: the host, the ports and the login typed. */
export interface TestedWith {
	host: string;
	ports: number[];
	/** Null when the test ran without a login. */
	login: { username: string; password: string } | null;
}

/** What changed since the test: its results no longer describe the form. */
export type StaleReason = 'host' | 'ports' | 'login';

/**
 * A host name as the mail client connects to it: case and a trailing dot do not matter.
 */
export function normalizedHost( host: string ): string {
	return host.trim().toLowerCase().replace( /\.$/, '' );
}

export function sameHost( one: string, other: string ): boolean {
	return normalizedHost( one ) === normalizedHost( other );
}

/**
 * The login a test uses: the typed user name and password when the login is switched on.
 */
export function loginOf( form: FormState ): TestedWith[ 'login' ] {
	return form.auth && form.username.trim() !== ''
		? { username: form.username.trim(), password: form.password }
		: null;
}

/**
 * Why the results of a test no longer describe what the form would test now; empty when current.
 */
export function staleReasons(
	tested: TestedWith,
	now: TestedWith
): StaleReason[] {
	const reasons: StaleReason[] = [];
	if ( ! sameHost( tested.host, now.host ) ) {
		reasons.push( 'host' );
	}
	if ( tested.ports.join( ',' ) !== now.ports.join( ',' ) ) {
		reasons.push( 'ports' );
	}
	const before = tested.login;
	const after = now.login;
	if (
		( before === null ) !== ( after === null ) ||
		( before &&
			after &&
			( before.username !== after.username ||
				before.password !== after.password ) )
	) {
		reasons.push( 'login' );
	}
	return reasons;
}

/**
 * Whether the saved password may be used for this host and user name: the server only sends it
 * to the host and user name it was saved with (includes/Settings/Saved_Login.php).
 */
export function savedPasswordFits(
	form: Pick< FormState, 'host' | 'username' >,
	record: Pick< SettingsResponse, 'host' | 'username' >
): boolean {
	return (
		normalizedHost( record.host ) !== '' &&
		sameHost( form.host, record.host ) &&
		form.username.trim() === record.username.trim()
	);
}

/**
 * Why the port test cannot log in with what the form holds (the password must be typed first),
 * or null when it can: the test sends the typed password, or the saved one for its own host and
 * user name only.
 */
export function missingPassword(
	form: FormState,
	record: Pick<
		SettingsResponse,
		'host' | 'username' | 'password_set' | 'password_unreadable'
	>
): string | null {
	// OAuth 2.0: the test logs in with the saved token, never a password.
	if (
		! loginOf( form ) ||
		form.password !== '' ||
		form.auth_method === 'oauth2'
	) {
		return null;
	}
	const usable =
		record.password_set &&
		! record.password_unreadable &&
		! form.clear_password;
	if ( ! usable ) {
		return __(
			'Enter the password to test the ports with this login: no password is saved.',
			'smtp-port-helper'
		);
	}
	if ( ! savedPasswordFits( form, record ) ) {
		return sprintf(
			/* translators: 1: saved SMTP host, 2: saved SMTP user name. */
			__(
				'Enter the password to test the ports with this login: the saved password is only sent to %1$s as %2$s.',
				'smtp-port-helper'
			),
			record.host,
			record.username
		);
	}
	return null;
}

/**
 * Whether saving the form would drop the saved password: a new host or user name without a new
 * password (the server forgets the old one rather than send it elsewhere).
 */
export function saveForgetsPassword(
	form: FormState,
	record: Pick< SettingsResponse, 'host' | 'username' | 'password_set' >
): boolean {
	return (
		record.password_set &&
		form.password === '' &&
		! form.clear_password &&
		! savedPasswordFits( form, record )
	);
}
