CREATE TABLE `shared_group_members` (
	`group_id` text NOT NULL,
	`member_id` text NOT NULL,
	`user_id` text NOT NULL,
	`added` text NOT NULL,
	PRIMARY KEY(`group_id`, `member_id`),
	FOREIGN KEY (`group_id`) REFERENCES `shared_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`,`user_id`) REFERENCES `shares`(`owner_id`,`viewer_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shared_group_members_share_idx` ON `shared_group_members` (`member_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `shared_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shared_groups_user_idx` ON `shared_groups` (`user_id`);--> statement-breakpoint
CREATE TABLE `shares` (
	`owner_id` text NOT NULL,
	`viewer_id` text NOT NULL,
	`shared_since` text NOT NULL,
	`types` text,
	`expires_at` text,
	`custom_name` text,
	`icon_color` text,
	`custom_profile_picture` text,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	PRIMARY KEY(`owner_id`, `viewer_id`),
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`viewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shares_viewer_idx` ON `shares` (`viewer_id`);--> statement-breakpoint
CREATE TABLE `sharing_access_log` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`viewer_id` text NOT NULL,
	`viewer_email` text NOT NULL,
	`data_type` text NOT NULL,
	`path` text NOT NULL,
	`range_start` text,
	`range_end` text,
	`at` text NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`viewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sharing_access_log_owner_idx` ON `sharing_access_log` (`owner_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `sharing_access_log_viewer_idx` ON `sharing_access_log` (`viewer_id`);--> statement-breakpoint
CREATE TABLE `sharing_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`sender_id` text NOT NULL,
	`recipient_email` text NOT NULL,
	`recipient_id` text,
	`status` text NOT NULL,
	`share_since` text NOT NULL,
	`types` text,
	`expires_at` text,
	`sent_at` text NOT NULL,
	`created` text NOT NULL,
	`last_updated` text NOT NULL,
	FOREIGN KEY (`sender_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recipient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sharing_invitations_pending_unique` ON `sharing_invitations` (`kind`,`sender_id`,`recipient_email`) WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX `sharing_invitations_sender_idx` ON `sharing_invitations` (`sender_id`,`kind`,`created`);--> statement-breakpoint
CREATE INDEX `sharing_invitations_recipient_email_idx` ON `sharing_invitations` (`recipient_email`,`kind`,`created`);--> statement-breakpoint
CREATE INDEX `sharing_invitations_recipient_idx` ON `sharing_invitations` (`recipient_id`);