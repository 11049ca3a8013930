/**
 * The settings form, shaped like core-data's useEntityRecord: the saved `record`, the
 * `editedRecord` the fields show, the `edits` a save would send, `edit()` and `save()`.
 */
import { useCallback, useEffect, useState } from '@wordpress/element';

import type { FormState } from '../form';
import { changes, isDirty, toForm, validate } from '../form';
import type { SettingsResponse, SettingsUpdate } from '../types';
import { useRestActions } from './use-rest-actions';

export type SaveResult =
	/** `passwordForgotten`: a new host or user name came without a password, so the server dropped it. */
	| { status: 'saved'; passwordForgotten: boolean }
	| { status: 'unchanged' }
	/** The form found a problem itself; `errors` says where, `fields` which fields in page order. */
	| { status: 'invalid'; fields: string[] }
	/** `fields`: the fields the server named (empty when it named none). */
	| { status: 'failed'; message: string; fields: string[] };

export interface SettingsForm {
	/** The settings as the server last sent them; null until loaded. */
	record: SettingsResponse | null;
	/** What the fields show: the record with the edits applied; null until loaded. */
	editedRecord: FormState | null;
	/** The update a save would send. */
	edits: SettingsUpdate;
	hasEdits: boolean;
	edit: ( fields: Partial< FormState > ) => void;
	save: () => Promise< SaveResult >;
	/**
	 * Takes settings the server sent after another action (an OAuth disconnect): the record, with
	 * the fields' edits kept.
	 */
	receiveRecord: ( settings: SettingsResponse ) => void;
	isSaving: boolean;
	/** Field => message from the last save (the server's, or the form's own check). */
	errors: Record< string, string >;
	/** Why the settings could not be loaded. */
	loadError: string | null;
}

export interface LoadedSettingsForm extends SettingsForm {
	record: SettingsResponse;
	editedRecord: FormState;
}

export function isLoaded( form: SettingsForm ): form is LoadedSettingsForm {
	return form.record !== null && form.editedRecord !== null;
}

export function useSettingsForm(): SettingsForm {
	const { loadSettings, saveSettings, isRunning } = useRestActions();
	const [ record, setRecord ] = useState< SettingsResponse | null >( null );
	const [ editedRecord, setEditedRecord ] = useState< FormState | null >(
		null
	);
	const [ errors, setErrors ] = useState< Record< string, string > >( {} );
	const [ loadError, setLoadError ] = useState< string | null >( null );

	const receive = useCallback( ( settings: SettingsResponse ) => {
		setRecord( settings );
		setEditedRecord( toForm( settings ) );
	}, [] );

	useEffect( () => {
		void loadSettings().then( ( outcome ) =>
			outcome.ok
				? receive( outcome.value )
				: setLoadError( outcome.message )
		);
	}, [ loadSettings, receive ] );

	const edit = useCallback( ( fields: Partial< FormState > ) => {
		setEditedRecord( ( current ) =>
			current ? { ...current, ...fields } : current
		);
	}, [] );

	const edits = record && editedRecord ? changes( editedRecord, record ) : {};

	const save = async (): Promise< SaveResult > => {
		if ( ! record || ! editedRecord ) {
			return { status: 'unchanged' };
		}
		const problems = validate( editedRecord );
		if ( Object.keys( problems ).length ) {
			setErrors( problems );
			return { status: 'invalid', fields: Object.keys( problems ) };
		}
		if ( Object.keys( edits ).length === 0 ) {
			return { status: 'unchanged' };
		}
		setErrors( {} );
		const outcome = await saveSettings( edits );
		if ( ! outcome.ok ) {
			setErrors( outcome.fieldErrors );
			return {
				status: 'failed',
				message: outcome.message,
				fields: Object.keys( outcome.fieldErrors ),
			};
		}
		receive( outcome.value );
		return {
			status: 'saved',
			passwordForgotten: outcome.value.password_forgotten === true,
		};
	};

	return {
		record,
		editedRecord,
		edits,
		hasEdits: Boolean(
			record && editedRecord && isDirty( editedRecord, record )
		),
		edit,
		save,
		receiveRecord: setRecord,
		isSaving: isRunning( 'save' ),
		errors,
		loadError,
	};
}
