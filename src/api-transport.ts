/**
 * The HTTPS API as the page applies it: what one click on the API recommendation edits, and
 * whether the key must still be entered. Pure functions, no React.
 */
import type { FormState } from './form';
import type { Recommendation, SettingsResponse } from './types';

/** The transport id of today's SMTP engine (includes/Transport/Transport_Registry.php). */
export const SMTP_TRANSPORT = 'smtp';

/**
 * The fields one click on a recommendation fills in: the transport for the HTTPS API (the SMTP
 * port and encryption stay as they are, for a way back), the port and encryption for SMTP (and
 * the transport back to SMTP). A field a wp-config.php constant locks is left alone.
 */
export function recommendationEdits(
	recommendation: Recommendation,
	locked: Partial< Record< string, string > >
): Partial< FormState > {
	const edits: Partial< FormState > = {};
	const transport = recommendation.transport ?? SMTP_TRANSPORT;
	if ( ! locked.transport ) {
		edits.transport = transport;
	}
	if ( transport !== SMTP_TRANSPORT ) {
		return edits;
	}
	if ( ! locked.port ) {
		edits.port = String( recommendation.port );
	}
	if ( ! locked.encryption ) {
		edits.encryption = recommendation.encryption;
	}
	return edits;
}

/**
 * Whether the form sends over an HTTPS API without a key it could use: none is saved, or the saved
 * one is being removed or was saved for another provider, and none is typed.
 */
export function apiKeyMissing(
	form: Pick< FormState, 'transport' | 'api_key' | 'clear_api_key' >,
	record: Pick< SettingsResponse, 'transport' | 'api_key_set' >
): boolean {
	if ( form.transport === SMTP_TRANSPORT || form.api_key.trim() !== '' ) {
		return false;
	}
	return (
		! record.api_key_set ||
		form.clear_api_key ||
		record.transport !== form.transport
	);
}
