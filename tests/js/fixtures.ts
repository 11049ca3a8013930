/**
 * REST payloads shared by the jest tests, typed by src/types.ts.
 */
import type {
	PortResult,
	PortTestReport,
	SettingsResponse,
} from '../../src/types';

export function settingsFixture(
	overrides: Partial< SettingsResponse > = {}
): SettingsResponse {
	return {
		enabled: true,
		host: 'smtp.example.com',
		port: 587,
		encryption: 'starttls',
		auth: true,
		username: '',
		auth_method: 'password',
		oauth_provider: 'microsoft',
		oauth_tenant: 'organizations',
		oauth_client_id: '',
		oauth_authorize_url: '',
		oauth_token_url: '',
		oauth_scope: '',
		oauth_client_secret_expires: '',
		from_email: '',
		from_name: '',
		force_from_email: false,
		force_from_name: false,
		return_path: false,
		ca_file: '',
		timeout: 10,
		send_time_limit: 15,
		fallback: false,
		fallback_ports: [],
		self_heal: true,
		dkim_signing: false,
		transport: 'smtp',
		api_account: '',
		api_region: '',
		password_set: false,
		password_unreadable: false,
		key_unsafe: false,
		verify_tls: true,
		locked: {},
		oauth_client_secret_set: false,
		api_key_set: false,
		oauth_connection: {
			state: 'none',
			account: '',
			connected_at: '',
			code: '',
			message: '',
		},
		from_address: {
			email: 'wordpress@example.com',
			reason: 'wordpress_default',
		},
		...overrides,
	};
}

export function okResult(
	port: number,
	overrides: Partial< PortResult > = {}
): PortResult {
	const implicit = port === 465;
	return {
		port,
		mode: implicit ? 'implicit_tls' : 'starttls',
		verdict: 'ok',
		cause: 'none',
		ok: true,
		elapsed_ms: 42,
		stages: [
			{ name: 'dns', ok: true, ms: 1, detail: '' },
			{ name: 'connect', ok: true, ms: 2, detail: '' },
			{ name: 'banner', ok: true, ms: 5, detail: '220 ready' },
			{ name: 'tls', ok: true, ms: 20, detail: '' },
		],
		tls: {
			version: 'TLSv1.3',
			cipher: 'TLS_AES_256_GCM_SHA384',
			subject: 'CN=localhost',
			sans: [ 'localhost', '127.0.0.1' ],
			issuer: 'CN=localhost',
			valid_from: '2026-11-01T00:00:00Z',
			valid_to: '2026-12-31T00:00:00Z',
			days_left: 34,
			chain_verified: true,
			host_matched: true,
		},
		auth_mechanisms: [ 'PLAIN', 'LOGIN' ],
		address: '127.0.0.1',
		detail: '',
		message: `Port ${ port } works.`,
		...overrides,
	};
}

export function reportFixture(): PortTestReport {
	return {
		host: '127.0.0.1',
		elapsed_ms: 120,
		results: [
			okResult( 587 ),
			okResult( 2525 ),
			okResult( 465 ),
			{
				port: 25,
				mode: 'unknown',
				verdict: 'refused',
				cause: 'network',
				ok: false,
				elapsed_ms: 3,
				stages: [
					{ name: 'connect', ok: false, ms: 3, detail: 'refused' },
				],
				detail: 'Connection refused',
				message:
					'Port 25 is closed: the server refused the connection.',
			},
		],
		recommendation: {
			port: 587,
			encryption: 'starttls',
			reason: 'Port 587 works with STARTTLS.',
		},
		advice: null,
		causes: [],
		markdown: '',
	};
}
