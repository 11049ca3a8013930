/**
 * The one module that talks to the plugin's REST routes.
 */
import apiFetch from '@wordpress/api-fetch';

import type { RestError, SettingsResponse, SettingsUpdate } from './types';

export const REST_NAMESPACE = 'smtp-port-helper/v1';

export function getSettings(): Promise< SettingsResponse > {
	return apiFetch< SettingsResponse >( {
		path: `/${ REST_NAMESPACE }/settings`,
	} );
}

export function saveSettings(
	update: SettingsUpdate
): Promise< SettingsResponse > {
	return apiFetch< SettingsResponse >( {
		path: `/${ REST_NAMESPACE }/settings`,
		method: 'POST',
		data: update,
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
 * Field => message for each field a REST error names; WordPress's own schema validation reports
 * the field in `data.params` too, so both the plugin's and core's errors land next to the field.
 * @param error
 */
export function fieldErrors( error: unknown ): Record< string, string > {
	if ( ! isRestError( error ) || ! error.data?.params ) {
		return {};
	}
	return { ...error.data.params };
}
