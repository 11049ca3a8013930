<?php
/**
 * Loaded by WP-CLI (`--require`) in the domain check's tests: the check asks the test name server
 * (Test_Name_Server, NSD on 127.0.0.1:10053) instead of the system's.
 *
 * @package SmtpPortHelper\Tests
 */

WP_CLI::add_wp_hook(
	'smtp_port_helper_domain_check_resolver',
	static function () {
		return new SmtpPortHelper\Net\Dns_Resolver( new SmtpPortHelper\Net\Resolver_Config( '/etc/hosts', (string) getenv( 'SMTP_PORT_HELPER_TEST_RESOLV_CONF' ) ), (int) getenv( 'SMTP_PORT_HELPER_TEST_DNS_PORT' ) );
	}
);
