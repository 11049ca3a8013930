<?php
/**
 * The PHP side's JSON schemas that the page's TypeScript types are generated from
 * (src/generated/rest-types.ts, by env/rest-types/generate.js), and the boot data the page's unit
 * tests start from. Returns an array; needs no WordPress (translation calls keep the English text).
 *
 * Read by `php env/rest-types/schemas.php` (prints the JSON) and by the unit test
 * tests/php/unit/REST/Rest_Types_Test.php, which fails when src/generated/rest-schemas.json is stale.
 *
 * @package SmtpPortHelper
 */

use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Probe\Provider_Login_Policy;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\REST\Dkim_Key_Schema;
use SmtpPortHelper\Providers\Provider_Table;
use SmtpPortHelper\REST\Domain_Check_Schema;
use SmtpPortHelper\REST\OAuth_Controller;
use SmtpPortHelper\REST\Outbox_Schema;
use SmtpPortHelper\REST\Port_Tests_Schema;
use SmtpPortHelper\REST\Settings_Route_Schema;
use SmtpPortHelper\REST\Test_Email_Schema;
use SmtpPortHelper\Settings\Settings_Schema;
use SmtpPortHelper\Transport\Transport_Registry;

if ( ! defined( 'SMTP_PORT_HELPER_TESTING' ) ) {
	define( 'SMTP_PORT_HELPER_TESTING', true );
}
require_once dirname( __DIR__, 2 ) . '/includes/autoload.php';
require_once dirname( __DIR__, 2 ) . '/tests/php/unit/wp-shims.php';

/**
 * A route's `args` as the JSON schema of its body.
 *
 * @param string                              $title Type name.
 * @param array<string, array<string, mixed>> $args  The route's args.
 * @return array<string, mixed>
 */
$request_schema = static function ( string $title, array $args ): array {
	$required = array();
	foreach ( $args as $name => $arg ) {
		// A route marks a required argument with `required: true`; an object's own `required` lists its keys.
		if ( isset( $arg['required'] ) && is_bool( $arg['required'] ) ) {
			if ( $arg['required'] ) {
				$required[] = $name;
			}
			unset( $args[ $name ]['required'] );
		}
	}
	return array(
		'title'                => $title,
		'type'                 => 'object',
		'properties'           => $args,
		'required'             => $required,
		'additionalProperties' => false,
	);
};

/**
 * The settings fields a POST takes, without the defaults (a field left out keeps its value).
 *
 * @var array<string, array<string, mixed>> $settings_input
 */
$settings_input = array_map(
	static function ( array $field ): array {
		unset( $field['default'] );
		return $field;
	},
	Settings_Route_Schema::input_schema()
);

// The answer of /settings and /network-settings, one type: only a site of a network lists
// `inherited`. Split into the editable fields and the rest so the page can name the former.
$settings_response = Settings_Route_Schema::response_schema( true );
$editable_settings = array(
	'title'      => 'EditableSettings',
	'type'       => 'object',
	'properties' => array_intersect_key( $settings_response['properties'], Settings_Schema::FIELDS ),
	'required'   => array_values( array_intersect( $settings_response['required'], array_keys( Settings_Schema::FIELDS ) ) ),
);

$document = array(
	'schemas'  => array(
		'Encryption'             => array( 'title' => 'Encryption' ) + Encryption::schema(),
		'PortTestRequest'        => $request_schema( 'PortTestRequest', Port_Tests_Schema::args() ),
		'PortTestReport'         => array_merge( Port_Tests_Schema::response(), array( 'title' => 'PortTestReport' ) ),
		'TestEmailRequest'       => $request_schema( 'TestEmailRequest', Test_Email_Schema::args() ),
		'TestEmailSuccess'       => array_merge( Test_Email_Schema::response(), array( 'title' => 'TestEmailSuccess' ) ),
		'TestEmailFailureData'   => Test_Email_Schema::failure_data(),
		'BootData'               => Settings_Page::boot_data_schema(),
		'EditableSettings'       => $editable_settings,
		'SettingsResponse'       => array(
			'title' => 'SettingsResponse',
			'allOf' => array(
				$editable_settings,
				array(
					'type'       => 'object',
					'properties' => array_diff_key( $settings_response['properties'], Settings_Schema::FIELDS ),
					'required'   => array_values( array_diff( $settings_response['required'], array_keys( Settings_Schema::FIELDS ) ) ),
				),
			),
		),
		'SettingsInput'          => $request_schema( 'SettingsInput', $settings_input ),
		'OutboxList'             => array_merge( Outbox_Schema::response(), array( 'title' => 'OutboxList' ) ),
		'OutboxRetryResult'      => array_merge( Outbox_Schema::retry_response(), array( 'title' => 'OutboxRetryResult' ) ),
		'OAuthAuthorizeResponse' => OAuth_Controller::authorize_schema(),
		'OutboxDeleteResult'     => array_merge( Outbox_Schema::delete_response(), array( 'title' => 'OutboxDeleteResult' ) ),
		'DomainCheckRequest'     => $request_schema( 'DomainCheckRequest', Domain_Check_Schema::args() ),
		'DomainCheck'            => Domain_Check_Schema::response(),
		'DkimKeyRequest'         => $request_schema( 'DkimKeyRequest', Dkim_Key_Schema::post_args() ),
		'DkimKeyState'           => Dkim_Key_Schema::response(),
	),
	// Boot data as the settings screen prints it, but for the parts only WordPress knows.
	'bootData' => array(
		'rootId'           => Settings_Page::ROOT_ELEMENT,
		'scope'            => 'site',
		'ports'            => Submission_Ports::for_page(),
		'encryptionLabels' => Encryption::labels(),
		'presets'          => Provider_Table::for_page(),
		'presetWarnings'   => Provider_Login_Policy::preset_warnings(),
		'oauthProfiles'    => Provider_Profile::for_page(),
		'oauthTransports'  => Transport_Registry::oauth_profiles(),
	),
);

if ( realpath( (string) ( $_SERVER['SCRIPT_FILENAME'] ?? '' ) ) === __FILE__ ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- a command-line script.
	echo json_encode( $document, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ), "\n"; // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode, WordPress.Security.EscapeOutput.OutputNotEscaped -- no WordPress here.
}
return $document;
