import { Button, Notice } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { changeDkimKey, getDkimKey, removeDkimKey } from '../api';
import type { DkimKeyState } from '../types';
import { RecordToPublish } from './DomainCheck';

/**
 * The site's own DKIM key: generate, rotate or remove it, and the TXT record to publish. The
 * private key stays on the server; signing itself is the `dkim_signing` setting beside this.
 */
export function DkimKey() {
	const [ state, setState ] = useState< DkimKeyState | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );

	const settle = ( request: Promise< DkimKeyState > ) => {
		setBusy( true );
		setError( null );
		request.then(
			( value ) => {
				setState( value );
				setBusy( false );
			},
			( reason: { message?: string } ) => {
				setError(
					reason?.message ??
						__(
							'The DKIM key could not be changed.',
							'smtp-port-helper'
						)
				);
				setBusy( false );
			}
		);
	};

	useEffect( () => settle( getDkimKey() ), [] );

	if ( null === state ) {
		return error ? (
			<Notice status="error" isDismissible={ false }>
				{ error }
			</Notice>
		) : null;
	}
	const key = state.key;
	return (
		<div className="smtp-port-helper__dkim-key">
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ null === key ? (
				<>
					<p>
						{ sprintf(
							/* translators: %s: domain */
							__(
								'Where your mail service does not sign with DKIM for your domain, this site can sign itself. Generate a key for %s, publish the record it shows, then switch signing on.',
								'smtp-port-helper'
							),
							state.default_domain
						) }
					</p>
					<Button
						variant="secondary"
						disabled={ busy || ! state.can_generate }
						onClick={ () => settle( changeDkimKey( 'generate' ) ) }
					>
						{ __( 'Generate DKIM key', 'smtp-port-helper' ) }
					</Button>
				</>
			) : (
				<>
					<p>
						{ sprintf(
							/* translators: 1: domain, 2: selector, 3: bits */
							__(
								'DKIM key for %1$s, selector %2$s, RSA %3$d bits.',
								'smtp-port-helper'
							),
							key.domain,
							key.selector,
							key.bits
						) }
					</p>
					<RecordToPublish record={ key.record } />
					{ ! state.readable && (
						<Notice status="warning" isDismissible={ false }>
							{ __(
								'The stored private key cannot be opened with this site’s key material (the salts or SMTP_PORT_HELPER_KEY changed): rotate the key.',
								'smtp-port-helper'
							) }
						</Notice>
					) }
					<Button
						variant="secondary"
						disabled={ busy }
						onClick={ () => settle( changeDkimKey( 'rotate' ) ) }
					>
						{ __( 'Rotate key', 'smtp-port-helper' ) }
					</Button>{ ' ' }
					<Button
						variant="tertiary"
						isDestructive
						disabled={ busy }
						onClick={ () => settle( removeDkimKey() ) }
					>
						{ __( 'Remove key', 'smtp-port-helper' ) }
					</Button>
				</>
			) }
		</div>
	);
}
