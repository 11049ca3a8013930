/**
 * Shapes of every REST payload the page exchanges with the plugin's PHP side (namespace
 * smtp-port-helper/v1). The PHP side is the source of truth: includes/Settings (settings),
 * includes/Probe (port tests), includes/REST (routes). Keep both in step.
 */

/* ------------------------------------------------------------------ settings */

export type Encryption = 'none' | 'starttls' | 'implicit_tls';

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

/* ---------------------------------------------------------------- port tests */

export type ProbeMode = 'starttls' | 'implicit_tls' | 'plain' | 'unknown';

export type Verdict =
	| 'ok'
	| 'dns_failed'
	| 'refused'
	| 'timeout'
	| 'unreachable'
	| 'no_banner'
	| 'not_smtp'
	| 'rejected'
	| 'stalled'
	| 'starttls_missing'
	| 'tls_failed'
	| 'cert_invalid'
	| 'auth_failed'
	| 'auth_unavailable'
	| 'host_mismatch';

export type StageName =
	| 'dns'
	| 'connect'
	| 'banner'
	| 'ehlo'
	| 'starttls'
	| 'tls'
	| 'certificate'
	| 'ehlo_tls'
	| 'auth'
	| 'quit';

export interface ProbeStage {
	name: StageName;
	ok: boolean;
	ms: number;
	detail: string;
}

export interface TlsDetails {
	version: string;
	cipher: string;
	subject: string;
	sans: string[];
	issuer: string;
	valid_from: string;
	valid_to: string;
	days_left: number;
	chain_verified: boolean;
	host_matched: boolean;
}

export interface PortResult {
	port: number;
	mode: ProbeMode;
	verdict: Verdict;
	ok: boolean;
	elapsed_ms: number;
	stages: ProbeStage[];
	tls?: TlsDetails;
	auth_mechanisms?: string[];
	/** The IP address that was connected to. */
	address?: string;
	/** Short technical reason (e.g. "expired", or the server's reply line). */
	detail: string;
	/** Plain-language explanation: what it means and what to do. */
	message: string;
}

export interface Recommendation {
	port: number;
	encryption: Exclude< Encryption, 'none' >;
	reason: string;
}

/** POST /port-tests body. */
export interface PortTestRequest {
	host: string;
	/** 1..6 ports; default [587, 2525, 465, 25]. */
	ports?: number[];
	/** Seconds for the whole test, 1..30; default 5. */
	timeout?: number;
	/** Try a real AUTH (never sends mail). Without a password, the saved one is used. */
	auth?: { username: string; password?: string };
	/** The provider's own alternate ports, preferred after 587 (e.g. [2587] for Amazon SES). */
	alternates?: number[];
}

/** POST /port-tests response. */
export interface PortTestReport {
	host: string;
	elapsed_ms: number;
	results: PortResult[];
	recommendation: Recommendation | null;
}

/* ---------------------------------------------------------------- test email */

/** POST /test-email body. */
export interface TestEmailRequest {
	to: string;
}

/** POST /test-email response when the message was accepted by the SMTP server. */
export interface TestEmailSuccess {
	sent: true;
	to: string;
	host: string;
	port: number;
	elapsed_ms: number;
}

/** `data` of the 502 error answered when sending failed. */
export interface TestEmailFailureData {
	status: number;
	/** The port test's vocabulary: what went wrong. */
	verdict: Verdict | 'send_failed';
	/** Plain-language diagnosis and what to do. */
	diagnosis: string;
	/** The SMTP conversation, credentials redacted. */
	transcript: string[];
}

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

/** Data the PHP side prints before the script (see Settings_Page::enqueue_assets). */
export interface BootData {
	rootId: string;
	restNamespace: string;
	/** 'network' on Network Admin → Settings (the network defaults); 'site' otherwise. */
	scope?: 'site' | 'network';
}
