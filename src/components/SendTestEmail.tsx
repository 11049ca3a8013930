import { Button, Notice, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { fieldErrors, isRestError, sendFailure, sendTestEmail } from '../api';
import type { TestEmailFailureData, TestEmailSuccess } from '../types';
import { milliseconds, verdictLabel } from './labels';

type Failure = Pick<
	TestEmailFailureData,
	'verdict' | 'diagnosis' | 'transcript'
>;

interface Props {
	/** The form has unsaved changes: the test email would use the old settings. */
	dirty: boolean;
	announce: ( message: string ) => void;
}

/**
 * Step 5: send a real message through the saved settings.
 * @param root0
 * @param root0.dirty
 * @param root0.announce
 */
export function SendTestEmail( { dirty, announce }: Props ) {
	const [ to, setTo ] = useState( '' );
	const [ sending, setSending ] = useState( false );
	const [ success, setSuccess ] = useState< TestEmailSuccess | null >( null );
	const [ failure, setFailure ] = useState< Failure | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ toError, setToError ] = useState< string | undefined >();

	const send = async () => {
		setSending( true );
		setSuccess( null );
		setFailure( null );
		setError( null );
		setToError( undefined );
		try {
			const result = await sendTestEmail( { to: to.trim() } );
			setSuccess( result );
			announce(
				sprintf(
					/* translators: %s: email address. */
					__( 'Test email sent to %s.', 'smtp-port-helper' ),
					result.to
				)
			);
		} catch ( caught: unknown ) {
			const diagnosis = sendFailure( caught );
			const fields = fieldErrors( caught );
			if ( diagnosis ) {
				setFailure( diagnosis );
				announce(
					sprintf(
						/* translators: %s: what went wrong. */
						__(
							'The test email could not be sent: %s',
							'smtp-port-helper'
						),
						diagnosis.diagnosis
					)
				);
			} else if ( fields.to ) {
				setToError( fields.to );
				announce( fields.to );
			} else {
				const message = isRestError( caught )
					? caught.message
					: __(
							'The test email could not be sent.',
							'smtp-port-helper'
						);
				setError( message );
				announce( message );
			}
		} finally {
			setSending( false );
		}
	};

	return (
		<form
			className="smtp-port-helper__test-email"
			onSubmit={ ( event ) => {
				event.preventDefault();
				void send();
			} }
		>
			{ dirty && (
				<Notice status="warning" isDismissible={ false }>
					{ __(
						'You have unsaved changes. The test email uses the saved settings: save first.',
						'smtp-port-helper'
					) }
				</Notice>
			) }
			<div
				className={
					toError
						? 'smtp-port-helper__field has-error'
						: 'smtp-port-helper__field'
				}
			>
				<TextControl
					__nextHasNoMarginBottom
					__next40pxDefaultSize
					type="email"
					label={ __( 'Send to', 'smtp-port-helper' ) }
					placeholder={ __( 'you@example.com', 'smtp-port-helper' ) }
					value={ to }
					help={ toError }
					aria-invalid={ Boolean( toError ) }
					onChange={ setTo }
				/>
			</div>
			<div className="smtp-port-helper__actions">
				<Button
					variant="secondary"
					type="submit"
					isBusy={ sending }
					disabled={ sending || to.trim() === '' }
					accessibleWhenDisabled
					__next40pxDefaultSize
				>
					{ sending
						? __( 'Sending…', 'smtp-port-helper' )
						: __( 'Send test email', 'smtp-port-helper' ) }
				</Button>
			</div>
			{ success && (
				<Notice status="success" isDismissible={ false }>
					{ sprintf(
						/* translators: 1: email address, 2: host, 3: port, 4: duration. */
						__(
							'The test email to %1$s was accepted by %2$s on port %3$d (%4$s). Check the inbox, and the spam folder.',
							'smtp-port-helper'
						),
						success.to,
						success.host,
						success.port,
						milliseconds( success.elapsed_ms )
					) }
				</Notice>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ failure && (
				<div className="smtp-port-helper__send-failure">
					<Notice status="error" isDismissible={ false }>
						<strong>
							{ sprintf(
								/* translators: %s: short verdict, e.g. "Login refused". */
								__( 'Not sent: %s', 'smtp-port-helper' ),
								verdictLabel( failure.verdict )
							) }
						</strong>{ ' ' }
						{ failure.diagnosis }
					</Notice>
					{ failure.transcript.length > 0 && (
						<details>
							<summary>
								{ __(
									'SMTP conversation (passwords hidden)',
									'smtp-port-helper'
								) }
							</summary>
							<pre className="smtp-port-helper__transcript">
								{ failure.transcript.join( '\n' ) }
							</pre>
						</details>
					) }
				</div>
			) }
		</form>
	);
}
