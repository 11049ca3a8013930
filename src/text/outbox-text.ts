/**
 * The Outbox view's words for a message's state: the verdict of its last attempt and when it is
 * tried next. The plain explanation comes from the server (Outbox_Manager::explain()).
 */
import { dateI18n, getSettings } from '@wordpress/date';
import { __, _n, sprintf } from '@wordpress/i18n';

import type { OutboxCounts, OutboxEntry } from '../types';

/**
 * A date and time in the site's format and time zone.
 * @param unixTime Seconds since 1970.
 */
export function formatTime( unixTime: number ): string {
	return dateI18n( getSettings().formats.datetime, unixTime * 1000 );
}

/**
 * The short verdict of a message's last attempt, e.g. "Refused for good (550)".
 * @param entry A message of the outbox.
 */
export function verdictLabel( entry: OutboxEntry ): string {
	const label = verdictWords( entry );
	return entry.code > 0
		? sprintf(
				/* translators: 1: verdict, e.g. "Temporary answer"; 2: SMTP reply code, e.g. 451. */
				__( '%1$s (%2$d)', 'smtp-port-helper' ),
				label,
				entry.code
			)
		: label;
}

function verdictWords( entry: OutboxEntry ): string {
	if ( entry.stage === 'decrypt' ) {
		return __( 'Cannot be decrypted', 'smtp-port-helper' );
	}
	if ( entry.stage === 'policy' ) {
		return __( 'Server address not allowed', 'smtp-port-helper' );
	}
	if ( entry.stage === 'oauth' ) {
		return __( 'Sign-in refused', 'smtp-port-helper' );
	}
	if ( entry.stage === 'route' ) {
		return __( 'Written for another server', 'smtp-port-helper' );
	}
	if ( entry.stage === 'interrupted' ) {
		return __( 'Interrupted', 'smtp-port-helper' );
	}
	if ( entry.status === 'held' || entry.stage === 'auth' ) {
		return __( 'Login refused', 'smtp-port-helper' );
	}
	if ( entry.status === 'failed' ) {
		return entry.code >= 500
			? __( 'Refused for good', 'smtp-port-helper' )
			: __( 'Expired', 'smtp-port-helper' );
	}
	switch ( entry.stage ) {
		case 'paced':
			return __( 'Waits for the sending limit', 'smtp-port-helper' );
		case 'throttled':
			return __( 'Provider asked to slow down', 'smtp-port-helper' );
		case 'down':
			return __( 'Every port known to be down', 'smtp-port-helper' );
		case 'dns':
			return __( 'Host name not found in time', 'smtp-port-helper' );
		case 'token':
			return __( 'Sign-in not renewed', 'smtp-port-helper' );
		case 'deadline':
			return __( 'Time limit reached', 'smtp-port-helper' );
		case 'tls':
			return __( 'TLS failed', 'smtp-port-helper' );
		case 'disabled':
			return __( 'SMTP switched off', 'smtp-port-helper' );
		case 'mail':
		case 'rcpt':
		case 'data':
			return __( 'Try again later', 'smtp-port-helper' );
	}
	return __( 'No connection', 'smtp-port-helper' );
}

/**
 * When the message is tried next, in words where there is no time.
 * @param entry A message of the outbox.
 */
export function nextTryText( entry: OutboxEntry ): string {
	switch ( entry.status ) {
		case 'sending':
			return __( 'Being sent now', 'smtp-port-helper' );
		case 'held':
			return entry.stage === 'oauth'
				? __( 'After you click Connect again', 'smtp-port-helper' )
				: __( 'When the settings are saved', 'smtp-port-helper' );
		case 'failed':
			return __( 'Not retried', 'smtp-port-helper' );
	}
	return entry.next_attempt_at === null
		? __( 'Soon', 'smtp-port-helper' )
		: formatTime( entry.next_attempt_at );
}

/**
 * The number of messages in the outbox.
 * @param counts Messages per status.
 */
export function totalCount( counts: OutboxCounts ): number {
	return counts.queued + counts.sending + counts.held + counts.failed;
}

/**
 * "3 messages in the outbox: 1 failed." for the live region and the section's summary.
 * @param counts Messages per status.
 */
export function summaryText( counts: OutboxCounts ): string {
	const total = totalCount( counts );
	if ( total === 0 ) {
		return __(
			'The outbox is empty: every message was handed to the SMTP server.',
			'smtp-port-helper'
		);
	}
	const waiting = sprintf(
		/* translators: %d: number of messages */
		_n(
			'%d message in the outbox.',
			'%d messages in the outbox.',
			total,
			'smtp-port-helper'
		),
		total
	);
	if ( counts.failed === 0 ) {
		return waiting;
	}
	return `${ waiting } ${ sprintf(
		/* translators: %d: number of messages */
		_n(
			'%d of them failed for good.',
			'%d of them failed for good.',
			counts.failed,
			'smtp-port-helper'
		),
		counts.failed
	) }`;
}
