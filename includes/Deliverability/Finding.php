<?php
/**
 * One result of the domain check.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * What was checked, how it went, what it means for the big mailbox providers in plain words, the
 * facts behind it (the records and the RFC's reason, as DNS gives them) and the exact record to
 * publish when one would fix it.
 */
final class Finding {

	public const PASS = 'pass';
	public const WARN = 'warn';
	public const FAIL = 'fail';

	/**
	 * The check: spf, dkim, dmarc, mx, return_path.
	 *
	 * @var string
	 */
	public string $check;

	/**
	 * Status: pass, warn or fail.
	 *
	 * @var string
	 */
	public string $status;

	/**
	 * A machine-readable result (e.g. the SPF result, "missing", "reject").
	 *
	 * @var string
	 */
	public string $result;

	/**
	 * One line: what was found.
	 *
	 * @var string
	 */
	public string $summary;

	/**
	 * What it means for Gmail, Outlook and Yahoo, and what to do.
	 *
	 * @var string
	 */
	public string $meaning;

	/**
	 * The facts: records and reasons, as DNS and the RFCs give them (English, like DNS).
	 *
	 * @var string
	 */
	public string $evidence;

	/**
	 * The record to publish, or null.
	 *
	 * @var array{type: string, name: string, value: string}|null
	 */
	public ?array $record;

	/**
	 * Takes the parts.
	 *
	 * @param string                                                $check    Check.
	 * @param string                                                $status   Status.
	 * @param string                                                $result   Result.
	 * @param string                                                $summary  Summary.
	 * @param string                                                $meaning  Meaning.
	 * @param string                                                $evidence Evidence.
	 * @param array{type: string, name: string, value: string}|null $record   Record to publish.
	 */
	public function __construct( string $check, string $status, string $result, string $summary, string $meaning, string $evidence, ?array $record = null ) {
		$this->check    = $check;
		$this->status   = $status;
		$this->result   = $result;
		$this->summary  = $summary;
		$this->meaning  = $meaning;
		$this->evidence = $evidence;
		$this->record   = $record;
	}

	/**
	 * As an array (REST, CLI).
	 *
	 * @return array{check: string, status: string, result: string, summary: string, meaning: string, evidence: string, record: array{type: string, name: string, value: string}|null}
	 */
	public function to_array(): array {
		return array(
			'check'    => $this->check,
			'status'   => $this->status,
			'result'   => $this->result,
			'summary'  => $this->summary,
			'meaning'  => $this->meaning,
			'evidence' => $this->evidence,
			'record'   => $this->record,
		);
	}

	/**
	 * A record to publish.
	 *
	 * @param string $type  Type.
	 * @param string $name  Name.
	 * @param string $value Value.
	 * @return array{type: string, name: string, value: string}
	 */
	public static function record( string $type, string $name, string $value ): array {
		return array(
			'type'  => $type,
			'name'  => $name,
			'value' => $value,
		);
	}
}
