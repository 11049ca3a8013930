import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { bootData } from '../boot';

/**
 * Says at the top of the page when other code replaced wp_mail() or changed the connection of the
 * last message: what is tested and saved here would not be what really sends. The sentences come
 * from the server (Send_Path_Report), which names the plugin or file responsible.
 */
export function SendPathNotice() {
	const { status, messages } = bootData().sendPath;
	if ( status !== 'overridden' ) {
		return null;
	}
	return (
		<Notice status="warning" isDismissible={ false }>
			<p>
				<strong>
					{ __(
						'Mail from this site does not go the way these settings say.',
						'smtp-port-helper'
					) }
				</strong>
			</p>
			{ messages.map( ( message ) => (
				<p key={ message }>{ message }</p>
			) ) }
		</Notice>
	);
}
