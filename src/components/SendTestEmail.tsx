import { Button, Notice, TextControl } from '@wordpress/components';
import { Suspense, lazy, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { SendDiagnosis } from '../hooks/use-rest-actions';
import { bootData } from '../boot';
import { useRestActions } from '../hooks/use-rest-actions';
import type { TestEmailSuccess } from '../types';

// Shown only after a send (the domain check after a success, the diagnosis after a failure):
// one chunk of their own, not in the page's first script.
const DomainCheck = lazy( () =>
	import( /* webpackChunkName: "after-send" */ './DomainCheck' ).then(
		( module ) => ( { default: module.DomainCheck } )
	)
);
const TestEmailAccepted = lazy( () =>
	import( /* webpackChunkName: "after-send" */ './TestEmailAccepted' ).then(
		( module ) => ( { default: module.TestEmailAccepted } )
	)
);
const SendDiagnosisNotice = lazy( () =>
	import( /* webpackChunkName: "after-send" */ './SendDiagnosisNotice' ).then(
		( module ) => ( { default: module.SendDiagnosisNotice } )
	)
);

interface Props {
	/** The form has unsaved changes: the test email would use the old settings. */
	dirty: boolean;
	announce: ( message: string ) => void;
	/** Takes the user back to the port test after a failed send. */
	onBackToPortTest?: () => void;
}

/**
 * Sends a real message through the saved settings and shows what the server answered.
 */
export function SendTestEmail( { dirty, announce, onBackToPortTest }: Props ) {
	const { sendTestEmail, isRunning } = useRestActions();
	const sending = isRunning( 'testEmail' );
	const [ to, setTo ] = useState( () => bootData().adminEmail ?? '' );
	const [ success, setSuccess ] = useState< TestEmailSuccess | null >( null );
	const [ failure, setFailure ] = useState< SendDiagnosis | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ toError, setToError ] = useState< string | undefined >();

	const send = async () => {
		setSuccess( null );
		setFailure( null );
		setError( null );
		setToError( undefined );
		const outcome = await sendTestEmail( to.trim() );
		if ( outcome.ok ) {
			setSuccess( outcome.value );
			announce(
				sprintf(
					/* translators: %s: email address. */
					__( 'Test email sent to %s.', 'smtp-port-helper' ),
					outcome.value.to
				)
			);
		} else if ( outcome.diagnosis ) {
			setFailure( outcome.diagnosis );
			announce(
				sprintf(
					/* translators: %s: what went wrong. */
					__(
						'The test email could not be sent: %s',
						'smtp-port-helper'
					),
					outcome.diagnosis.diagnosis
				)
			);
		} else if ( outcome.fieldErrors.to ) {
			setToError( outcome.fieldErrors.to );
			announce( outcome.fieldErrors.to );
		} else {
			setError( outcome.message );
			announce( outcome.message );
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
					aria-describedby={
						to.trim() === ''
							? 'smtp-port-helper-send-to-missing'
							: undefined
					}
					__next40pxDefaultSize
				>
					{ sending
						? __( 'Sending…', 'smtp-port-helper' )
						: __( 'Send test email', 'smtp-port-helper' ) }
				</Button>
				{ to.trim() === '' && (
					<span
						id="smtp-port-helper-send-to-missing"
						className="description"
					>
						{ __(
							'Enter the address to send the test email to.',
							'smtp-port-helper'
						) }
					</span>
				) }
			</div>
			{ success && (
				<Suspense fallback={ null }>
					<TestEmailAccepted success={ success } />
					<DomainCheck />
				</Suspense>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ failure && (
				<Suspense fallback={ null }>
					<SendDiagnosisNotice diagnosis={ failure } />
				</Suspense>
			) }
			{ ( failure || error ) && onBackToPortTest && (
				<p>
					{ __(
						'Another port may work from this web server.',
						'smtp-port-helper'
					) }{ ' ' }
					<Button variant="link" onClick={ onBackToPortTest }>
						{ __( 'Go back to the port test', 'smtp-port-helper' ) }
					</Button>
				</p>
			) }
		</form>
	);
}
