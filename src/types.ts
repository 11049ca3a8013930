/**
 * Shapes of every REST payload the page exchanges with the plugin's PHP side (namespace
 * smtp-port-helper/v1). The PHP side is the source of truth: the port-test and test-email payloads
 * and the boot data are generated from its JSON schemas (src/generated/rest-types.ts, written by
 * `npm run rest-types`); the settings shapes follow includes/Settings.
 */
import type { Encryption, TestEmailFailureData } from './generated/rest-types';

export type {
	BootData,
	Encryption,
	PortResult,
	PortTestReport,
	PortTestRequest,
	ProbeMode,
	ProbeStage,
	Recommendation,
	StageName,
	TestEmailFailureData,
	TestEmailRequest,
	TestEmailSuccess,
	TlsDetails,
	Verdict,
} from './generated/rest-types';

/* ------------------------------------------------------------------ settings */

/** Fields the user edits (everything but the password, which is write-only). */
export interface EditableSettings {
	enabled: boolean;
	host: string;
	port: number;
	encryption: Encryption;
	auth: boolean;
	username: string;
	from_email: string;
	from_name: string;
	force_from_email: boolean;
	force_from_name: boolean;
	/** Envelope sender (Return-Path) = From address. */
	return_path: boolean;
	/** Absolute path of a CA bundle to trust for a private relay; '' = the system's. */
	ca_file: string;
	/** Connection timeout in seconds (1..60, default 10). */
	timeout: number;
	/** Try the next working port when the first cannot connect. */
	fallback: boolean;
	/** Ports tried in order after `port` when `fallback` is on. */
	fallback_ports: number[];
}

/** GET/POST /settings response. */
export interface SettingsResponse extends EditableSettings {
	/** A password is stored (it is never sent to the browser). */
	password_set: boolean;
	/** A password is stored but cannot be decrypted (the key changed): ask to re-enter it. */
	password_unreadable: boolean;
	/** Certificate verification; switched off only by a wp-config.php constant. */
	verify_tls: boolean;
	/** Field => name of the wp-config.php constant that fixes it. */
	locked: Partial<
		Record< keyof EditableSettings | 'password' | 'verify_tls', string >
	>;
	/**
	 * Multisite, GET/POST /settings only: fields whose value comes from the network defaults
	 * (set by the network, not by this site, not fixed by a constant).
	 */
	inherited?: Array< keyof EditableSettings >;
}

/**
 * POST /settings body: any subset of the fields. A field typed as a string where a number is
 * expected is sent as typed, so that the server's validation names the field in its answer.
 */
export type SettingsUpdate = Partial<
	Omit< EditableSettings, 'port' | 'timeout' > & {
		port: number | string;
		timeout: number | string;
		/** New password; omit it to keep the stored one. */
		password: string;
		/** true removes the stored password. */
		clear_password: boolean;
	}
>;

/* ------------------------------------------------------------------- errors */

/** A WP_Error as the REST API serialises it. */
export interface RestError {
	code: string;
	message: string;
	data?: {
		status?: number;
		/** Field => what is wrong with it (rest_invalid_param). */
		params?: Record< string, string >;
		details?: Record< string, { code: string; message: string } >;
	} & Partial< TestEmailFailureData >;
}
