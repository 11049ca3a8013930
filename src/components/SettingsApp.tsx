import { Notice, Spinner } from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import { Suspense, lazy, useRef, useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';

import { bootData } from '../boot';
import type { FormState } from '../form';
import { useAnnouncer } from '../hooks/use-announcer';
import type { PortTest } from '../hooks/use-port-test';
import { usePortTest } from '../hooks/use-port-test';
import type { LoadedSettingsForm } from '../hooks/use-settings-form';
import { isLoaded, useSettingsForm } from '../hooks/use-settings-form';
import { useUnsavedChangesWarning } from '../hooks/use-unsaved-changes-warning';
import { oauthCallbackResult } from '../oauth';
import { sameHost } from '../port-test';
import { findPreset } from '../presets';
import { oauthProviderEdits, presetEdits, providerOf } from '../provider-edits';
import type { OAuthProvider } from '../types';
import type { FieldContext } from './Fields';
import { fieldLabel } from '../text/field-labels';
import { TEST_PORTS_BUTTON_ID } from './PortCheck';
import { SaveActions } from './SaveActions';
import { SendPathNotice } from './SendPathNotice';
import { Snackbars } from './Snackbars';
import { AdvancedSettings } from './steps/AdvancedSettings';
import { ConnectionStep } from './steps/ConnectionStep';
import { LoginStep } from './steps/LoginStep';
import { PortTestStep } from './steps/PortTestStep';
import { ProviderStep } from './steps/ProviderStep';
import { SenderStep } from './steps/SenderStep';
import { TestEmailStep } from './steps/TestEmailStep';

// Only after the provider's sign-in sent the browser back here: in the OAuth login's chunk.
const OAuthCallbackNotice = lazy( () =>
	import(
		/* webpackChunkName: "oauth-login" */ './oauth/OAuthCallbackNotice'
	).then( ( module ) => ( { default: module.OAuthCallbackNotice } ) )
);

// Only on the network screen, which locks where the sites send.
const NetworkLock = lazy( () =>
	import( /* webpackChunkName: "network-lock" */ './NetworkLock' ).then(
		( module ) => ( { default: module.NetworkLock } )
	)
);

// Only while mail waits in this site's outbox (the boot data counts it).
const OutboxSection = lazy( () =>
	import(
		/* webpackChunkName: "outbox-section" */ './outbox/OutboxSection'
	).then( ( module ) => ( { default: module.OutboxSection } ) )
);

function outboxWaits(): boolean {
	return Object.values( bootData().outboxCounts ).some(
		( count ) => count > 0
	);
}

/** The settings page: loads the settings, then shows the steps. */
export function SettingsApp() {
	const form = useSettingsForm();
	useUnsavedChangesWarning( form.hasEdits );
	if ( form.loadError ) {
		return (
			<Notice status="error" isDismissible={ false }>
				{ form.loadError }
			</Notice>
		);
	}
	return isLoaded( form ) ? <SettingsSteps form={ form } /> : <Spinner />;
}

/**
 * Moves focus to the first field marked invalid and scrolls it into view, so that the error is
 * seen next to its field and not only in a notice.
 */
function focusFirstInvalid( root: HTMLElement | null ) {
	const field = root?.querySelector< HTMLElement >( '[aria-invalid="true"]' );
	if ( ! field ) {
		return;
	}
	// Inside the folded advanced settings, unfold them first.
	const details = field.closest( 'details' );
	if ( details && ! details.open ) {
		details.open = true;
	}
	field.focus();
	field.scrollIntoView?.( { block: 'center' } );
}

function SettingsSteps( { form }: { form: LoadedSettingsForm } ) {
	const { record, editedRecord, edit, hasEdits } = form;
	const [ provider, setProvider ] = useState( () =>
		providerOf( record.host )
	);
	const [ saveProblem, setSaveProblem ] = useState< string | null >( null );
	const formRef = useRef< HTMLFormElement >( null );
	const { message, announce } = useAnnouncer();
	const { createSuccessNotice } = useDispatch( noticesStore );
	const portTest = usePortTest();
	const preset = findPreset( provider.presetId );
	// Whether the provider's sign-in sent the browser back here (the notice then cleans the URL).
	const [ oauthCallback ] = useState(
		() => oauthCallbackResult( window.location.search ) !== null
	);

	const errors: Record< string, string > = { ...form.errors };
	// What the port test learnt about the host name and the password, at their fields too.
	const hostNotFound = hostNotFoundMessage( portTest, editedRecord.host );
	if ( hostNotFound && ! errors.host ) {
		errors.host = hostNotFound;
	}
	const passwordRefused = portTest.fieldErrors[ 'auth.password' ];
	if (
		passwordRefused &&
		editedRecord.password === '' &&
		! errors.password
	) {
		errors.password = passwordRefused;
	}

	const ctx: FieldContext = {
		form: editedRecord,
		setField: ( key, value ) => {
			const fields: Partial< FormState > = {};
			fields[ key ] = value;
			edit( fields );
		},
		errors,
		locked: record.locked,
	};

	const chooseProvider = ( presetId: string, region: string ) => {
		setProvider( { presetId, region } );
		const chosen = findPreset( presetId );
		if ( chosen ) {
			edit( presetEdits( chosen, region, record.locked ) );
		}
	};

	/**
	 * An OAuth profile, with its SMTP host when the host is empty or another profile's.
	 */
	const chooseOAuthProvider = ( oauthProvider: OAuthProvider ) => {
		const fields = oauthProviderEdits(
			oauthProvider,
			editedRecord.host,
			record.locked
		);
		if ( fields.host !== undefined ) {
			setProvider( providerOf( fields.host ) );
		}
		edit( fields );
	};

	/** Saves the form; resolves to whether the settings are now saved as the fields show. */
	const save = async (): Promise< boolean > => {
		setSaveProblem( null );
		const result = await form.save();
		if ( result.status === 'failed' || result.status === 'invalid' ) {
			if ( ! result.fields.length ) {
				setSaveProblem(
					result.status === 'failed' ? result.message : null
				);
				return false;
			}
			setSaveProblem( notSavedText( result.fields ) );
			// After the render that marks the fields.
			window.setTimeout( () => focusFirstInvalid( formRef.current ) );
			return false;
		} else if ( result.status === 'saved' && result.passwordForgotten ) {
			createSuccessNotice(
				__(
					'Settings saved. The saved password was removed because the server or user name changed: enter the password for the new login.',
					'smtp-port-helper'
				),
				{ type: 'snackbar' }
			);
		} else {
			createSuccessNotice(
				result.status === 'saved'
					? __( 'Settings saved.', 'smtp-port-helper' )
					: __( 'No changes to save.', 'smtp-port-helper' ),
				{ type: 'snackbar' }
			);
		}
		return true;
	};

	return (
		<div className="smtp-port-helper">
			<h1>{ __( 'SMTP Port Helper', 'smtp-port-helper' ) }</h1>
			<SendPathNotice />
			{ oauthCallback && (
				<Suspense fallback={ null }>
					<OAuthCallbackNotice
						connection={ record.oauth_connection }
					/>
				</Suspense>
			) }
			<p className="smtp-port-helper__intro">
				{ __(
					'Mails from your site do not arrive? Choose your provider, enter the login, test which ports work from this server, use the recommended one, then send a test email.',
					'smtp-port-helper'
				) }
			</p>
			<div
				className="screen-reader-text"
				role="status"
				aria-live="polite"
			>
				{ message }
			</div>
			{ outboxWaits() && (
				<Suspense fallback={ null }>
					<OutboxSection announce={ announce } />
				</Suspense>
			) }
			<form
				ref={ formRef }
				onSubmit={ ( event ) => {
					event.preventDefault();
					void save();
				} }
			>
				<ProviderStep
					ctx={ ctx }
					choice={ provider }
					onChoose={ chooseProvider }
				/>
				<LoginStep
					ctx={ ctx }
					record={ record }
					preset={ preset }
					hasEdits={ hasEdits }
					onSave={ save }
					onDisconnected={ ( settings ) => {
						form.receiveRecord( settings );
						createSuccessNotice(
							__(
								'The account was disconnected.',
								'smtp-port-helper'
							),
							{ type: 'snackbar' }
						);
					} }
					onChooseProvider={ chooseOAuthProvider }
				/>
				<PortTestStep
					ctx={ ctx }
					record={ record }
					preset={ preset }
					portTest={ portTest }
					announce={ announce }
					onUseHost={ ( suggested ) =>
						chooseProvider(
							suggested.id,
							suggested.defaultRegion ?? ''
						)
					}
				/>
				<ConnectionStep ctx={ ctx } />
				<SenderStep ctx={ ctx } fromAddress={ record.from_address } />
				<AdvancedSettings ctx={ ctx } record={ record } />
				{ record.lock_site_destination !== undefined && (
					<Suspense fallback={ null }>
						<NetworkLock locked={ record.lock_site_destination } />
					</Suspense>
				) }
				{ saveProblem && (
					<Notice
						status="error"
						isDismissible={ false }
						className="smtp-port-helper__save-problem"
					>
						{ saveProblem }
					</Notice>
				) }
				<SaveActions isSaving={ form.isSaving } hasEdits={ hasEdits } />
			</form>
			<TestEmailStep
				hasEdits={ hasEdits }
				announce={ announce }
				onBackToPortTest={ () => {
					const button =
						document.getElementById( TEST_PORTS_BUTTON_ID );
					button?.scrollIntoView?.( { block: 'center' } );
					button?.focus();
				} }
			/>
			<Snackbars />
		</div>
	);
}

/**
 * "Not saved: correct the marked fields" with the fields' labels, in plain words.
 */
function notSavedText( fields: string[] ): string {
	return sprintf(
		/* translators: %s: comma-separated field labels, e.g. "Port, Host". */
		_n(
			'The settings were not saved. Correct the marked field: %s.',
			'The settings were not saved. Correct the marked fields: %s.',
			fields.length,
			'smtp-port-helper'
		),
		fields.map( fieldLabel ).join( ', ' )
	);
}

/**
 * At the Host field: the last test of this host found no such name.
 */
function hostNotFoundMessage(
	portTest: PortTest,
	host: string
): string | undefined {
	const report = portTest.report;
	if (
		! report ||
		portTest.running ||
		! sameHost( report.host, host ) ||
		report.results.length === 0 ||
		! report.results.every( ( result ) => result.cause === 'host_name' )
	) {
		return undefined;
	}
	return __(
		'The port test did not find this host name. Check its spelling.',
		'smtp-port-helper'
	);
}
