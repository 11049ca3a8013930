<?php
/**
 * Option rows that cannot be written, as when another request's long transaction holds them.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

/**
 * On MariaDB a second connection holds the rows locked and this WordPress's connection gives up
 * waiting after one second. SQLite locks the whole database, and the test's own transaction
 * already holds its write lock, so there triggers make every write to the rows fail with
 * "database is locked", the error a busy SQLite database gives.
 */
final class Other_Connection {

	/**
	 * The connection holding the locks (MariaDB), or the triggers' names (SQLite).
	 *
	 * @var \mysqli|list<string>
	 */
	private $connection;

	/**
	 * Whether the stack's database is SQLite (the SQLite integration's drop-in is loaded).
	 */
	public static function on_sqlite(): bool {
		return defined( 'DB_ENGINE' ) && 'sqlite' === DB_ENGINE;
	}

	/**
	 * Opens a connection and locks the rows (on SQLite, every write).
	 *
	 * @param list<string> $names Option names.
	 */
	public static function locking_options( array $names ): self {
		global $wpdb;
		$other = new self();
		if ( self::on_sqlite() ) {
			$pdo   = self::sqlite();
			$names = implode( ', ', array_map( array( $pdo, 'quote' ), $names ) );
			foreach ( array( 'INSERT', 'UPDATE' ) as $event ) {
				$trigger             = 'smtp_port_helper_test_locked_' . strtolower( $event );
				$other->connection[] = $trigger;
				$pdo->exec( "CREATE TEMP TRIGGER {$trigger} BEFORE {$event} ON {$wpdb->options} WHEN NEW.option_name IN ( {$names} ) BEGIN SELECT RAISE( ABORT, 'database is locked' ); END" );
			}
			return $other;
		}
		list( $host, $port ) = array_pad( explode( ':', DB_HOST, 2 ), 2, '3306' );
		$other->connection   = new \mysqli( $host, DB_USER, DB_PASSWORD, DB_NAME, (int) $port );
		$other->connection->query( 'START TRANSACTION' );
		foreach ( $names as $name ) {
			$locked = $other->connection->query(
				sprintf(
					"INSERT INTO %s (option_name, option_value, autoload) VALUES ('%s', '1', 'off') ON DUPLICATE KEY UPDATE option_value = option_value",
					$wpdb->options,
					$other->connection->real_escape_string( $name )
				)
			);
			if ( true !== $locked ) {
				throw new \RuntimeException( $other->connection->error );
			}
		}
		$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = 1' );
		return $other;
	}

	/**
	 * This WordPress's own SQLite connection.
	 */
	private static function sqlite(): \PDO {
		global $wpdb;
		return $wpdb->get_driver()->get_connection()->get_pdo();
	}

	/**
	 * Gives the locks back and restores this WordPress's lock wait.
	 */
	public function close(): void {
		global $wpdb;
		if ( is_array( $this->connection ) ) {
			foreach ( $this->connection as $trigger ) {
				self::sqlite()->exec( "DROP TRIGGER IF EXISTS {$trigger}" );
			}
			return;
		}
		$this->connection->query( 'ROLLBACK' );
		$this->connection->close();
		$wpdb->query( 'SET SESSION innodb_lock_wait_timeout = DEFAULT' );
	}
}
