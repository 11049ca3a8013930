import { TextControl, ToggleControl } from '@wordpress/components';
import type { ComponentProps } from 'react';

import type { FormState } from '../form';
import { lockedHelp } from '../text/field-labels';

type TextKey = {
	[ K in keyof FormState ]: FormState[ K ] extends string ? K : never;
}[ keyof FormState ];
type FlagKey = {
	[ K in keyof FormState ]: FormState[ K ] extends boolean ? K : never;
}[ keyof FormState ];

export interface FieldContext {
	form: FormState;
	setField: < K extends keyof FormState >(
		key: K,
		value: FormState[ K ]
	) => void;
	/** Server errors by field (rest_invalid_param data.params). */
	errors: Record< string, string >;
	/** Field => wp-config.php constant. */
	locked: Partial< Record< string, string > >;
}

/**
 * A text field that shows its server error, or the constant that locks it, under it.
 */
export function TextField( {
	ctx,
	name,
	label,
	help,
	type = 'text',
	digitsOnly = false,
	...rest
}: {
	ctx: FieldContext;
	name: TextKey;
	label: string;
	help?: string;
	type?: 'text' | 'email' | 'password' | 'date';
	/** Accepts digits only (a port number): anything else typed or pasted is dropped. */
	digitsOnly?: boolean;
} & Pick<
	ComponentProps< typeof TextControl >,
	'placeholder' | 'inputMode' | 'autoComplete'
> ) {
	const error = ctx.errors[ name ];
	const constant = ctx.locked[ name === 'password' ? 'password' : name ];
	return (
		<div
			className={
				error
					? 'smtp-port-helper__field has-error'
					: 'smtp-port-helper__field'
			}
		>
			<TextControl
				__nextHasNoMarginBottom
				__next40pxDefaultSize
				label={ label }
				type={ type }
				value={ ctx.form[ name ] }
				disabled={ Boolean( constant ) }
				help={ error ?? lockedHelp( constant ) ?? help }
				aria-invalid={ Boolean( error ) }
				onChange={ ( value: string ) =>
					ctx.setField(
						name,
						digitsOnly ? value.replace( /\D+/g, '' ) : value
					)
				}
				{ ...rest }
			/>
		</div>
	);
}

export function ToggleField( {
	ctx,
	name,
	label,
	help,
}: {
	ctx: FieldContext;
	name: FlagKey;
	label: string;
	help?: string;
} ) {
	const error = ctx.errors[ name ];
	const constant = ctx.locked[ name ];
	return (
		<ToggleControl
			__nextHasNoMarginBottom
			label={ label }
			checked={ ctx.form[ name ] }
			disabled={ Boolean( constant ) }
			help={ error ?? lockedHelp( constant ) ?? help }
			onChange={ ( value: boolean ) => ctx.setField( name, value ) }
		/>
	);
}
