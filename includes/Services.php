<?php
/**
 * The plugin's services, built when a hook first needs one.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Api_Port_Test;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Mail\Send_Path_Recorder;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Outbox\Outbox_Pacing;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;
defined( 'ABSPATH' ) || exit;

/**
 * The other half of the composition root: Plugin adds the hooks, this class builds what they
 * call — each service once per request, with its dependencies in its constructor. It is loaded
 * only when a hook needs a service, so a front-end request that sends no mail never reads it.
 */
final class Services {
	/**
	 * The settings model, built on first use.
	 *
	 * @var Settings_Store|null
	 */
	private ?Settings_Store $settings = null;

	/**
	 * The mailer, built on first use.
	 *
	 * @var Mailer_Hook|null
	 */
	private ?Mailer_Hook $mailer = null;

	/**
	 * Records how the last message was really sent, built on first use.
	 *
	 * @var Send_Path_Recorder|null
	 */
	private ?Send_Path_Recorder $send_path = null;

	/**
	 * The port test engine, built on first use.
	 *
	 * @var Port_Prober|null
	 */
	private ?Port_Prober $prober = null;

	/**
	 * The test message sender, built on first use.
	 *
	 * @var Test_Email|null
	 */
	private ?Test_Email $test_email = null;

	/**
	 * The outbox schedule, built on first use.
	 *
	 * @var Mail_Queue|null
	 */
	private ?Mail_Queue $mail_queue = null;

	/**
	 * The OAuth 2.0 connection.
	 *
	 * @var OAuth_Connection|null
	 */
	private ?OAuth_Connection $oauth = null;

	/**
	 * The OAuth 2.0 connection of this site (one engine for every front door).
	 */
	public function oauth(): OAuth_Connection {
		$this->oauth = $this->oauth ?? new OAuth_Connection( $this->settings() );
		return $this->oauth;
	}

	/**
	 * The settings model.
	 */
	public function settings(): Settings_Store {
		$this->settings = $this->settings ?? new Settings_Store();
		return $this->settings;
	}

	/**
	 * The mailer configured on `phpmailer_init` (the one that knows the SMTP client of the last
	 * message), built on first use.
	 */
	public function mailer(): Mailer_Hook {
		$this->mailer = $this->mailer ?? new Mailer_Hook( $this->settings(), null, $this->mail_queue(), $this->oauth() );
		return $this->mailer;
	}

	/**
	 * Whether mail really goes the way the settings say (Site Health, the page, the CLI, the report).
	 */
	public function send_path_report(): Send_Path_Report {
		return new Send_Path_Report( $this->settings() );
	}

	/**
	 * The recorder of the last message's real connection.
	 */
	public function send_path(): Send_Path_Recorder {
		$this->send_path = $this->send_path ?? new Send_Path_Recorder();
		return $this->send_path;
	}

	/**
	 * The port test engine.
	 */
	public function prober(): Port_Prober {
		// Every front door's port test tells sending which address family alone works.
		$this->prober = $this->prober ?? new Port_Prober( null, null, array( new Port_Memory(), 'learn' ) );
		return $this->prober;
	}

	/**
	 * The one way into the port test engine, for REST, WP-CLI and Site Health (stateless).
	 */
	public function probe_options(): Probe_Options_Factory {
		return new Probe_Options_Factory( $this->settings(), null, $this->oauth() );
	}

	/**
	 * The port test's row for the host's HTTPS API, for REST, WP-CLI and Site Health (stateless).
	 */
	public function api_port_test(): Api_Port_Test {
		return new Api_Port_Test( $this->settings() );
	}

	/**
	 * The test message sender.
	 */
	public function test_email(): Test_Email {
		$this->test_email = $this->test_email ?? new Test_Email( $this->settings(), $this->mailer() );
		return $this->test_email;
	}

	/**
	 * The outbox delivery, for WP-Cron, WP-CLI and REST.
	 */
	public function outbox_runner(): Outbox_Runner {
		$outbox = new Outbox();
		$retest = new Port_Retest( $outbox, $this->settings(), $this->mailer(), $this->prober(), $this->probe_options() );
		return new Outbox_Runner( $outbox, $this->mailer(), $this->mail_queue(), $retest, new Recovery_Notice( $this->settings() ), new Outbox_Pacing( $this->mailer() ) );
	}

	/**
	 * The outbox engine of REST, WP-CLI and Site Health.
	 */
	public function outbox_manager(): Outbox_Manager {
		return new Outbox_Manager( new Outbox(), array( $this, 'outbox_runner' ), $this->settings() );
	}

	/**
	 * The outbox schedule.
	 */
	public function mail_queue(): Mail_Queue {
		$this->mail_queue = $this->mail_queue ?? new Mail_Queue( new Outbox() );
		return $this->mail_queue;
	}

	/**
	 * The daily self-check (WP-Cron and WP-CLI).
	 */
	public function self_check(): Self_Check {
		return new Self_Check( $this->settings(), $this->prober(), $this->probe_options(), $this->mailer() );
	}
}
