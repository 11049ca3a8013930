/**
 * The HTTPS API transport on the page: whether its key must still be entered. Pure, no React.
 */
import type { FormState } from './form';
import type { SettingsResponse } from './types';

/** The transport id of today's SMTP engine (includes/Transport/Transport_Registry.php). */
export const SMTP_TRANSPORT = 'smtp';

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
