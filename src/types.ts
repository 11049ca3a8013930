/**
 * Shapes of every REST payload the page exchanges with the plugin's PHP side.
 * The PHP schema in `includes/Settings/Settings_Store.php` is the source of truth.
 */

export interface Settings {
	host: string;
	port: number;
}

/** GET/POST /smtp-port-helper/v1/settings response. */
export interface SettingsResponse extends Settings {
	/** Field => name of the wp-config.php constant that fixes it. */
	locked: Partial< Record< keyof Settings, string > >;
}

/**
 * POST /smtp-port-helper/v1/settings body: any subset of the fields. The port is sent as typed
 * when it is not a number, so that the server's validation names the field in its answer.
 */
export interface SettingsUpdate {
	host?: string;
	port?: number | string;
}

/** A WP_Error as the REST API serialises it. */
export interface RestError {
	code: string;
	message: string;
	data?: {
		status?: number;
		/** Field => what is wrong with it (rest_invalid_param). */
		params?: Record< string, string >;
		details?: Record< string, { code: string; message: string } >;
	};
}

/** Data the PHP side prints before the script (see Settings_Page::enqueue_assets). */
export interface BootData {
	rootId: string;
	restNamespace: string;
}
