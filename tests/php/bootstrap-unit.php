<?php
/**
 * Bootstrap for unit tests: no WordPress, no database. Only the plugin's autoloader and
 * minimal stand-ins for the few WordPress functions that pure classes call (translation, escaping).
 *
 * @package SmtpPortHelper\Tests
 */

define( 'SMTP_PORT_HELPER_TESTING', true );
require dirname( __DIR__, 2 ) . '/includes/autoload.php';
require __DIR__ . '/unit/wp-shims.php';
