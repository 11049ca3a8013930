import { Notice, Spinner } from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';

import type { FormState } from '../form';
import { useAnnouncer } from '../hooks/use-announcer';
import type { LoadedSettingsForm } from '../hooks/use-settings-form';
import { isLoaded, useSettingsForm } from '../hooks/use-settings-form';
import { useUnsavedChangesWarning } from '../hooks/use-unsaved-changes-warning';
import { OTHER, findPreset, presetForHost } from '../presets';
import type { FieldContext } from './Fields';
import { SaveActions } from './SaveActions';
import { Snackbars } from './Snackbars';
import { AdvancedSettings } from './steps/AdvancedSettings';
import { ConnectionStep } from './steps/ConnectionStep';
import { LoginStep } from './steps/LoginStep';
import { PortTestStep } from './steps/PortTestStep';
import type { ProviderChoice } from './steps/ProviderStep';
import { ProviderStep } from './steps/ProviderStep';
import { SenderStep } from './steps/SenderStep';
import { TestEmailStep } from './steps/TestEmailStep';

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
 * The provider the saved host belongs to, if any.
 * @param host
 */
function providerOf( host: string ): ProviderChoice {
	const match = presetForHost( host );
	return match
		? {
				presetId: match.preset.id,
				region: match.region ?? match.preset.defaultRegion ?? '',
			}
		: { presetId: OTHER, region: '' };
}

function SettingsSteps( { form }: { form: LoadedSettingsForm } ) {
	const { record, editedRecord, edit, hasEdits } = form;
	const [ provider, setProvider ] = useState( () =>
		providerOf( record.host )
	);
	const { message, announce } = useAnnouncer();
	const { createSuccessNotice, createErrorNotice } =
		useDispatch( noticesStore );

	const ctx: FieldContext = {
		form: editedRecord,
		setField: ( key, value ) => {
			const fields: Partial< FormState > = {};
			fields[ key ] = value;
			edit( fields );
		},
		errors: form.errors,
		locked: record.locked,
	};

	const save = async () => {
		const result = await form.save();
		if ( result.status === 'failed' ) {
			createErrorNotice( result.message, { type: 'snackbar' } );
		} else if ( result.status === 'saved' && result.passwordForgotten ) {
			createSuccessNotice(
				__(
					'Settings saved. The saved password was removed because the server or user name changed: enter the password for the new login.',
					'smtp-port-helper'
				),
				{ type: 'snackbar' }
			);
		} else if ( result.status !== 'invalid' ) {
			createSuccessNotice(
				result.status === 'saved'
					? __( 'Settings saved.', 'smtp-port-helper' )
					: __( 'No changes to save.', 'smtp-port-helper' ),
				{ type: 'snackbar' }
			);
		}
	};

	return (
		<div className="smtp-port-helper">
			<h1>{ __( 'SMTP Port Helper', 'smtp-port-helper' ) }</h1>
			<p className="smtp-port-helper__intro">
				{ __(
					'Mails from your site do not arrive? Choose your provider, test which ports work from this server, use the recommended one, then send a test email.',
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
			<form
				onSubmit={ ( event ) => {
					event.preventDefault();
					void save();
				} }
			>
				<ProviderStep
					ctx={ ctx }
					choice={ provider }
					onChoose={ setProvider }
				/>
				<PortTestStep
					ctx={ ctx }
					preset={ findPreset( provider.presetId ) }
					announce={ announce }
				/>
				<ConnectionStep ctx={ ctx } />
				<LoginStep ctx={ ctx } record={ record } />
				<SenderStep ctx={ ctx } />
				<AdvancedSettings ctx={ ctx } record={ record } />
				<SaveActions isSaving={ form.isSaving } hasEdits={ hasEdits } />
			</form>
			<TestEmailStep hasEdits={ hasEdits } announce={ announce } />
			<Snackbars />
		</div>
	);
}
