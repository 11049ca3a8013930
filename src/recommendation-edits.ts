/**
 * What one click on the port test's recommendation does to the form, and what a screen reader
 * hears then. Pure functions, no React; loaded with the results' chunk (the button is there).
 */
import { __, sprintf } from '@wordpress/i18n';

import { SMTP_TRANSPORT } from './api-transport';
import type { FormState } from './form';
import { encryptionLabel } from './text/field-labels';
import type { Recommendation } from './types';

/**
 * The fields one click on a recommendation fills in: the transport and the region whose API the
 * port test reached for the HTTPS API (the SMTP port and encryption stay as they are, for a way
 * back), the port and encryption for SMTP (and the transport back to SMTP). A field a
 * wp-config.php constant locks is left alone.
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
		if ( recommendation.api_region !== undefined && ! locked.api_region ) {
			edits.api_region = recommendation.api_region;
		}
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
 * What the page announces once a recommendation is filled in.
 */
export function appliedText( recommendation: Recommendation ): string {
	if ( recommendation.transport ) {
		return __(
			'The HTTPS API is chosen. Enter the API key, then save the settings.',
			'smtp-port-helper'
		);
	}
	return sprintf(
		/* translators: 1: port number, 2: encryption, e.g. STARTTLS. */
		__(
			'Port %1$d with %2$s filled in. Save the settings to use it.',
			'smtp-port-helper'
		),
		recommendation.port,
		encryptionLabel( recommendation.encryption )
	);
}
