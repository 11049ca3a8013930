import { Notice, Spinner } from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import { Suspense, lazy, useRef } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';

import { fieldErrors } from '../field-errors';
import type { FormState } from '../form';
import { useAnnouncer } from '../hooks/use-announcer';
import { usePortTest } from '../hooks/use-port-test';
import { useProviderChoice } from '../hooks/use-provider-choice';
import { useSaveFlow } from '../hooks/use-save-flow';
import type { LoadedSettingsForm } from '../hooks/use-settings-form';
import { isLoaded, useSettingsForm } from '../hooks/use-settings-form';
import { useUnsavedChangesWarning } from '../hooks/use-unsaved-changes-warning';
import type { FieldContext } from './Fields';
import { PageFrame } from './PageFrame';
import { TEST_PORTS_BUTTON_ID } from './PortCheck';
import { SaveActions } from './SaveActions';
import { Snackbars } from './Snackbars';
import { AdvancedSettings } from './steps/AdvancedSettings';
import { ConnectionStep } from './steps/ConnectionStep';
import { LoginStep } from './steps/LoginStep';
import { PortTestStep } from './steps/PortTestStep';
import { ProviderStep } from './steps/ProviderStep';
import { SenderStep } from './steps/SenderStep';
import { TestEmailStep } from './steps/TestEmailStep';

// Only on the network screen, which locks where the sites send.
const NetworkLock = lazy( () =>
	import( /* webpackChunkName: "network-lock" */ './NetworkLock' ).then(
		( module ) => ( { default: module.NetworkLock } )
	)
);

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

/** Back to step 3: the "Test ports" button, in view and focused. */
function focusTestPortsButton() {
	const button = document.getElementById( TEST_PORTS_BUTTON_ID );
	button?.scrollIntoView?.( { block: 'center' } );
	button?.focus();
}

function SettingsSteps( { form }: { form: LoadedSettingsForm } ) {
	const { record, editedRecord, edit, hasEdits } = form;
	const formRef = useRef< HTMLFormElement >( null );
	const { message, announce } = useAnnouncer();
	const { createSuccessNotice } = useDispatch( noticesStore );
	const portTest = usePortTest();
	const { provider, preset, chooseProvider, chooseOAuthProvider } =
		useProviderChoice( form );
	const { save, saveProblem } = useSaveFlow( form, formRef );

	const ctx: FieldContext = {
		form: editedRecord,
		setField: ( key, value ) => {
			const fields: Partial< FormState > = {};
			fields[ key ] = value;
			edit( fields );
		},
		errors: fieldErrors( form.errors, portTest, editedRecord ),
		locked: record.locked,
	};

	return (
		<PageFrame
			connection={ record.oauth_connection }
			message={ message }
			announce={ announce }
		>
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
				onBackToPortTest={ focusTestPortsButton }
			/>
			<Snackbars />
		</PageFrame>
	);
}
