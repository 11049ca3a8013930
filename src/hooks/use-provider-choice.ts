/**
 * The provider the form is filled for: the preset picked (or the one the saved host belongs to)
 * and the edits choosing a preset or an OAuth 2.0 profile makes (src/provider-edits.ts).
 */
import { useState } from '@wordpress/element';

import type { Preset } from '../presets';
import { findPreset } from '../presets';
import type { ProviderChoice } from '../provider-edits';
import { oauthProviderEdits, presetEdits, providerOf } from '../provider-edits';
import type { OAuthProvider } from '../types';
import type { LoadedSettingsForm } from './use-settings-form';

export interface ProviderChoiceState {
	provider: ProviderChoice;
	preset: Preset | undefined;
	/** A preset (in a region): its edits. */
	chooseProvider: ( presetId: string, region: string ) => void;
	/** An OAuth profile, with its SMTP host when the host is empty or another profile's. */
	chooseOAuthProvider: ( oauthProvider: OAuthProvider ) => void;
}

/**
 * @param form The loaded settings form.
 */
export function useProviderChoice(
	form: Pick< LoadedSettingsForm, 'record' | 'editedRecord' | 'edit' >
): ProviderChoiceState {
	const { record, editedRecord, edit } = form;
	const [ provider, setProvider ] = useState( () =>
		providerOf( record.host )
	);

	const chooseProvider = ( presetId: string, region: string ) => {
		setProvider( { presetId, region } );
		const chosen = findPreset( presetId );
		if ( chosen ) {
			edit( presetEdits( chosen, region, record.locked ) );
		}
	};

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

	return {
		provider,
		preset: findPreset( provider.presetId ),
		chooseProvider,
		chooseOAuthProvider,
	};
}
