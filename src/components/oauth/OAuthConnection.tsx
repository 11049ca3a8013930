import { Button, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { useRestActions } from '../../hooks/use-rest-actions';
import { connectLabel, navigateTo } from '../../oauth';
import type { OAuthProvider, SettingsResponse } from '../../types';
import { fieldLabel } from '../../text/field-labels';
import { DisconnectConfirm } from './DisconnectConfirm';

interface Props {
	/** The saved settings: the connection and the provider it was made with. */
	record: Pick< SettingsResponse, 'oauth_connection' | 'oauth_provider' >;
	/** The provider the form shows (the Connect button's name). */
	provider: OAuthProvider;
	hasEdits: boolean;
	/** Saves the form; resolves to whether the settings are now saved as shown. */
	onSave: () => Promise< boolean >;
	/** The settings after a disconnect. */
	onDisconnected: ( settings: SettingsResponse ) => void;
}

/**
 * The connected account with Disconnect, or Connect: saves unsaved edits first (the server signs
 * in with the SAVED settings), asks for the provider's sign-in address, and goes there.
 */
export function OAuthConnection( props: Props ) {
	const { record, provider, hasEdits, onSave, onDisconnected } = props;
	const { startOAuth, disconnectOAuth, isRunning } = useRestActions();
	const [ problem, setProblem ] = useState< string | null >( null );
	const [ confirming, setConfirming ] = useState( false );
	const connection = record.oauth_connection;
	const connecting = isRunning( 'oauthConnect' );

	const connect = async () => {
		setProblem( null );
		if ( hasEdits && ! ( await onSave() ) ) {
			return;
		}
		const outcome = await startOAuth();
		if ( outcome.ok ) {
			navigateTo( outcome.value.authorize_url );
			return;
		}
		const fields = Object.entries( outcome.fieldErrors );
		setProblem(
			fields.length
				? fields
						.map(
							( [ field, message ] ) =>
								`${ fieldLabel( field ) }: ${ message }`
						)
						.join( ' ' )
				: outcome.message
		);
	};

	const disconnect = async () => {
		setConfirming( false );
		setProblem( null );
		const outcome = await disconnectOAuth();
		if ( outcome.ok ) {
			onDisconnected( outcome.value );
		} else {
			setProblem( outcome.message );
		}
	};

	const connectButton = (
		<Button
			variant={
				connection.state === 'connected' ? 'secondary' : 'primary'
			}
			onClick={ () => void connect() }
			isBusy={ connecting }
			disabled={ connecting }
			accessibleWhenDisabled
			__next40pxDefaultSize
		>
			{ connection.state === 'failed'
				? __( 'Connect again', 'smtp-port-helper' )
				: connectLabel( provider ) }
		</Button>
	);

	return (
		<div className="smtp-port-helper__oauth-connection">
			{ connection.state === 'failed' && (
				<Notice status="error" isDismissible={ false }>
					<p>
						{ connection.message ||
							__(
								'The connection to the account stopped working.',
								'smtp-port-helper'
							) }
					</p>
					<p>
						{ __(
							'Mail cannot be sent through this account until you connect again. Click "Connect again" and sign in with the mailbox; if the client secret expired, create a new one first and save it here.',
							'smtp-port-helper'
						) }
					</p>
				</Notice>
			) }
			{ connection.state === 'connected' ? (
				<p className="smtp-port-helper__oauth-account">
					{ connectedText(
						connection.account,
						connection.connected_at
					) }
				</p>
			) : (
				connection.state === 'none' && (
					<p>
						{ __(
							'Not connected yet. Save the client ID and secret, then connect and sign in with the mailbox that sends the mail.',
							'smtp-port-helper'
						) }
					</p>
				)
			) }
			<div className="smtp-port-helper__actions">
				{ connection.state === 'connected' ? (
					<Button
						variant="secondary"
						isDestructive
						onClick={ () => setConfirming( true ) }
						isBusy={ isRunning( 'oauthDisconnect' ) }
						disabled={ isRunning( 'oauthDisconnect' ) }
						accessibleWhenDisabled
						__next40pxDefaultSize
					>
						{ __( 'Disconnect', 'smtp-port-helper' ) }
					</Button>
				) : (
					connectButton
				) }
				{ hasEdits && connection.state !== 'connected' && (
					<span className="smtp-port-helper__unsaved">
						{ __(
							'Your changes are saved first.',
							'smtp-port-helper'
						) }
					</span>
				) }
			</div>
			{ problem && (
				<Notice status="error" isDismissible={ false }>
					{ problem }
				</Notice>
			) }
			{ confirming && (
				<DisconnectConfirm
					account={ connection.account }
					onConfirm={ () => void disconnect() }
					onCancel={ () => setConfirming( false ) }
				/>
			) }
		</div>
	);
}

function connectedText( account: string, connectedAt: string ): string {
	const date = connectedAt ? new Date( connectedAt ) : null;
	if ( ! date || Number.isNaN( date.getTime() ) ) {
		return sprintf(
			/* translators: %s: the connected e-mail address. */
			__( 'Connected as %s.', 'smtp-port-helper' ),
			account
		);
	}
	return sprintf(
		/* translators: 1: the connected e-mail address, 2: date and time of the connection. */
		__( 'Connected as %1$s since %2$s.', 'smtp-port-helper' ),
		account,
		date.toLocaleString()
	);
}
