/**
 * Shapes of every REST payload the page exchanges with the plugin's PHP side (namespace
 * smtp-port-helper/v1). The PHP side is the source of truth: the port-test, test-email and settings
 * payloads and the boot data are generated from its JSON schemas (src/generated/rest-types.ts,
 * written by `npm run rest-types`; the settings ones from includes/Settings/Settings_Schema.php).
 */
import type {
	EditableSettings,
	SettingsInput,
	TestEmailFailureData,
} from './generated/rest-types';

export type {
	ApiRow,
	BootData,
	DkimKey,
	DkimKeyState,
	DnsRecordToPublish,
	DomainCheck,
	DomainFinding,
	EditableSettings,
	CauseAdvice,
	Encryption,
	PortResult,
	PortTestReport,
	PortTestRequest,
	Preset,
	PresetWarning,
	ProbeMode,
	ProbeStage,
	OAuthAuthorizeResponse,
	FromAddress,
	OAuthConnection,
	OAuthFailure,
	OAuthProfile,
	Recommendation,
	SettingsInput,
	SettingsResponse,
	StageName,
	TestEmailFailureData,
	TestEmailRequest,
	TestEmailSuccess,
	TlsDetails,
	FailureCause,
	OutboxCounts,
	OutboxDeleteResult,
	OutboxEntry,
	OutboxList,
	OutboxRetryResult,
	Verdict,
} from './generated/rest-types';

/* --------------------------------------------------------------------- oauth */

export type AuthMethod = EditableSettings[ 'auth_method' ];
export type OAuthProvider = EditableSettings[ 'oauth_provider' ];

/* ------------------------------------------------------------------ settings */

/**
 * POST /settings (and /network-settings) body: any subset of the fields. The page sends a
 * number it cannot read as typed, so that the server's validation names the field in its answer.
 */
export type SettingsUpdate = Omit<
	SettingsInput,
	'port' | 'timeout' | 'send_time_limit'
> & {
	port?: SettingsInput[ 'port' ] | string;
	timeout?: SettingsInput[ 'timeout' ] | string;
	send_time_limit?: SettingsInput[ 'send_time_limit' ] | string;
};

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
