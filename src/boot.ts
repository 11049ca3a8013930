/**
 * The data the settings screen prints before the script (Settings_Page::boot_data()): the REST
 * namespace, the screen's scope, and the PHP side's vocabulary the page shows but does not own.
 */
import type { BootData } from './types';

export function bootData(): BootData {
	const data =
		typeof window === 'undefined' ? undefined : window.smtpPortHelper;
	if ( ! data ) {
		throw new Error(
			'window.smtpPortHelper is missing: the settings screen prints it before this script.'
		);
	}
	return data;
}
