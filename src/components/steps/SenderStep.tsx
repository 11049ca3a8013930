import { __ } from '@wordpress/i18n';

import type { FieldContext } from '../Fields';
import { TextField, ToggleField } from '../Fields';
import { Step } from './Step';

/**
 * Step 5: the sender of every mail, and whether it overrides what other plugins set.
 * @param root0
 * @param root0.ctx
 */
export function SenderStep( { ctx }: { ctx: FieldContext } ) {
	return (
		<Step title={ __( '5. Sender', 'smtp-port-helper' ) }>
			<div className="smtp-port-helper__fields is-even">
				<TextField
					ctx={ ctx }
					name="from_email"
					type="email"
					label={ __( 'From email', 'smtp-port-helper' ) }
					placeholder="wordpress@example.com"
				/>
				<TextField
					ctx={ ctx }
					name="from_name"
					label={ __( 'From name', 'smtp-port-helper' ) }
				/>
			</div>
			<ToggleField
				ctx={ ctx }
				name="force_from_email"
				label={ __(
					'Use this From email for all mail, even when a plugin sets another',
					'smtp-port-helper'
				) }
			/>
			<ToggleField
				ctx={ ctx }
				name="force_from_name"
				label={ __(
					'Use this From name for all mail, even when a plugin sets another',
					'smtp-port-helper'
				) }
			/>
			<ToggleField
				ctx={ ctx }
				name="return_path"
				label={ __(
					'Set the return path (envelope sender) to the From email',
					'smtp-port-helper'
				) }
				help={ __(
					'Bounces then go to the From address.',
					'smtp-port-helper'
				) }
			/>
		</Step>
	);
}
